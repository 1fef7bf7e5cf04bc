import { randomBytes } from 'node:crypto';
import { openCredentials, sealCredentials } from './connection-credentials';
import { CredentialsCipher, CredentialsUndecryptableError } from './credentials-cipher';

describe('connection credentials', () => {
  const cipher = new CredentialsCipher(randomBytes(32));
  const secret = { apiKey: 'k-123', password: 'pw' };

  it('open for the row they were sealed to', () => {
    const sealed = sealCredentials(cipher, secret, 'acme', 'main');
    expect(openCredentials(cipher, sealed, 'acme', 'main')).toEqual(secret);
    expect(sealed).not.toContain('k-123');
  });

  it('do not open on another tenant connection with the same id, nor on another id', () => {
    const sealed = sealCredentials(cipher, secret, 'acme', 'main');
    expect(() => openCredentials(cipher, sealed, 'globex', 'main')).toThrow(CredentialsUndecryptableError);
    expect(() => openCredentials(cipher, sealed, 'acme', 'backup')).toThrow(CredentialsUndecryptableError);
  });

  it('still open when sealed the old way, to the connection id alone', () => {
    const legacy = cipher.encrypt(secret, '0b6f9a8e-6a43-4a59-9d51-7d1b2c3e4f50');
    expect(openCredentials(cipher, legacy, 'acme', '0b6f9a8e-6a43-4a59-9d51-7d1b2c3e4f50')).toEqual(secret);
  });

  it('refuse an altered ciphertext, naming the connection and no secret', () => {
    const sealed = sealCredentials(cipher, secret, 'acme', 'main');
    const altered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => openCredentials(cipher, altered, 'acme', 'main')).toThrow(
      /connection main .*cannot be decrypted/,
    );
  });
});
