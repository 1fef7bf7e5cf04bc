import { randomBytes } from 'node:crypto';
import { CredentialsCipher, CredentialsUndecryptableError } from './credentials-cipher';

describe('CredentialsCipher', () => {
  const cipher = new CredentialsCipher(randomBytes(32));
  const secret = { username: 'brand', password: 'canary-3f9a' };

  it('round-trips and never shows the plaintext', () => {
    const envelope = cipher.encrypt(secret, 'c1');
    expect(envelope).not.toContain('canary');
    expect(envelope).toMatch(/^v1\./);
    expect(cipher.decrypt(envelope, 'c1')).toEqual(secret);
  });

  it('uses a fresh IV for every value', () => {
    expect(cipher.encrypt(secret, 'c1')).not.toBe(cipher.encrypt(secret, 'c1'));
  });

  it('refuses a tampered ciphertext, a tampered tag and another row id with a clear error', () => {
    const [v, iv, tag, ct] = cipher.encrypt(secret, 'c1').split('.');
    const flipped = Buffer.from(ct, 'base64');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([v, iv, tag, flipped.toString('base64')].join('.'), 'c1')).toThrow(
      CredentialsUndecryptableError,
    );
    const badTag = Buffer.from(tag, 'base64');
    badTag[0] ^= 1;
    expect(() => cipher.decrypt([v, iv, badTag.toString('base64'), ct].join('.'), 'c1')).toThrow(
      /cannot be decrypted/,
    );
    expect(() => cipher.decrypt([v, iv, tag, ct].join('.'), 'c2')).toThrow(CredentialsUndecryptableError);
    expect(() => new CredentialsCipher(randomBytes(32)).decrypt([v, iv, tag, ct].join('.'), 'c1')).toThrow(
      CredentialsUndecryptableError,
    );
  });
});
