import { SeenEmails } from './seen-emails';

describe('SeenEmails', () => {
  it('remembers the first line of each address, exactly, across table and arena growth', () => {
    const seen = new SeenEmails();
    // 200,000 keys make a collision of the 32-bit hash all but certain (birthday bound): the keys
    // themselves must be compared for every one of them to count as new.
    const n = 200_000;
    const repeatsOnFirstPass = Array.from({ length: n }, (_, i) =>
      seen.firstOrAdd(`user${i}@example.com`, i + 2),
    ).filter((first) => first !== null);
    expect(repeatsOnFirstPass).toEqual([]);
    expect(seen.size).toBe(n);
    const sample = Array.from({ length: 200 }, (_, k) => k * 997);
    expect(sample.map((i) => seen.firstOrAdd(`user${i}@example.com`, 999_999))).toEqual(
      sample.map((i) => i + 2),
    );
    expect(seen.firstOrAdd('user1@example.co', 1)).toBeNull();
    expect(seen.size).toBe(n + 1);
  });

  it('keeps keys that differ in one byte, or only outside ASCII, apart', () => {
    const seen = new SeenEmails();
    const keys = ['ä@example.com', 'a@example.com', 'ab@example.com', 'ba@example.com', 'é@例え.jp'];
    expect(keys.map((key, i) => seen.firstOrAdd(key, i))).toEqual(keys.map(() => null));
    expect(keys.map((key) => seen.firstOrAdd(key, 100))).toEqual(keys.map((_, i) => i));
  });
});
