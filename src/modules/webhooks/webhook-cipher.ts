import { randomBytes } from 'node:crypto';
import { GatewayError } from '../../domain/errors';
import type { CredentialsCipher } from '../tenants/credentials-cipher';

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/**
 * What webhooks keep at rest, sealed with the cipher of connection credentials (AES-256-GCM,
 * SECRETS_KEY): signing secrets, and event payloads until they are processed (they may hold a
 * password). The row id is the associated data, so a ciphertext cannot move to another row.
 */
export class WebhookCipher {
  constructor(private readonly cipher: CredentialsCipher) {}

  sealSecret(secret: string, sourceId: string): string {
    return this.cipher.encrypt({ secret }, `webhook-source:${sourceId}`);
  }

  openSecret(ciphertext: string, sourceId: string): string {
    return this.open(
      ciphertext,
      `webhook-source:${sourceId}`,
      'secret',
      `the signing secret of source ${sourceId}`,
    );
  }

  sealPayload(data: unknown, eventId: string): string {
    return this.cipher.encrypt({ data: JSON.stringify(data) }, `webhook-event:${eventId}`);
  }

  openPayload(ciphertext: string, eventId: string): unknown {
    return JSON.parse(
      this.open(ciphertext, `webhook-event:${eventId}`, 'data', `the payload of event ${eventId}`),
    );
  }

  private open(ciphertext: string, aad: string, field: string, what: string): string {
    try {
      return this.cipher.decrypt(ciphertext, aad)[field];
    } catch {
      throw new GatewayError('internal', `${what} cannot be decrypted (SECRETS_KEY changed?).`);
    }
  }
}
