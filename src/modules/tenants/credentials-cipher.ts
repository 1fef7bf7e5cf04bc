import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GatewayError } from '../../domain/errors';

const VERSION = 'v1';
const IV_BYTES = 12;
/** IVs per draw of random bytes: one draw per value cost ~10 µs, a migration upload seals a million. */
const IVS_PER_DRAW = 1024;

/**
 * AES-256-GCM for provider credentials at rest: a random 96-bit IV per value, the auth tag
 * checked on every read, and the connection id as associated data so a ciphertext cannot be
 * moved to another row.
 */
export class CredentialsCipher {
  private ivs = Buffer.alloc(0);
  private ivOffset = 0;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes');
  }

  encrypt(credentials: Record<string, string>, connectionId: string): string {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(connectionId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      ciphertext.toString('base64'),
    ].join('.');
  }

  /** A fresh random IV, each slice of a draw handed out once (a new draw never overwrites an old one). */
  private nextIv(): Buffer {
    if (this.ivOffset + IV_BYTES > this.ivs.length) {
      this.ivs = randomBytes(IV_BYTES * IVS_PER_DRAW);
      this.ivOffset = 0;
    }
    const iv = this.ivs.subarray(this.ivOffset, this.ivOffset + IV_BYTES);
    this.ivOffset += IV_BYTES;
    return iv;
  }

  decrypt(envelope: string, connectionId: string): Record<string, string> {
    const [version, iv, tag, ciphertext] = envelope.split('.');
    try {
      if (version !== VERSION || !iv || !tag || ciphertext === undefined)
        throw new Error('malformed envelope');
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(connectionId));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Record<string, string>;
    } catch {
      throw new CredentialsUndecryptableError(connectionId);
    }
  }
}

export class CredentialsUndecryptableError extends GatewayError {
  constructor(connectionId: string) {
    super(
      'internal',
      `The stored credentials of connection ${connectionId} failed authentication and cannot be decrypted ` +
        '(the ciphertext was altered or SECRETS_KEY changed). Set them again with PATCH.',
    );
  }
}
