import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  afterEach(() => jest.useRealTimers());

  it('expires entries after the ttl', () => {
    jest.useFakeTimers({ now: 1_000 });
    const cache = new TtlCache<number>(100, 10);
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    jest.setSystemTime(1_101);
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops the oldest entry past the size bound and deletes by prefix', () => {
    const cache = new TtlCache<number>(10_000, 2);
    cache.set('t1:mail', 1);
    cache.set('t1:archive', 2);
    cache.set('t2:mail', 3);
    expect(cache.get('t1:mail')).toBeUndefined();
    cache.deletePrefix('t1:');
    expect(cache.get('t1:archive')).toBeUndefined();
    expect(cache.get('t2:mail')).toBe(3);
  });
});
