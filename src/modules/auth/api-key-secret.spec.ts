import { generateKey, hashSecret, parseKey, secretsEqual } from './api-key-secret';

describe('api key secrets', () => {
  it('generates recognisable keys whose id part parses back', () => {
    const generated = generateKey();
    expect(generated.key).toMatch(/^mr_live_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseKey(generated.key);
    expect(parsed?.id).toBe(generated.id);
    expect(secretsEqual(parsed!.secret, generated.secretHash)).toBe(true);
  });

  it('never repeats and never stores the secret itself', () => {
    const a = generateKey();
    const b = generateKey();
    expect(a.key).not.toBe(b.key);
    expect(a.secretHash.toString('utf8')).not.toContain(a.key.slice(-43));
  });

  it('rejects malformed keys and wrong secrets', () => {
    expect(parseKey('mr_live_short_x')).toBeNull();
    expect(parseKey('sk_live_' + 'a'.repeat(60))).toBeNull();
    expect(secretsEqual('wrong', hashSecret('right'))).toBe(false);
  });
});
