import { isUtf8 } from 'node:buffer';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { GatewayError } from '../../domain/errors';

/** The Standard Webhooks headers of one delivery. */
export interface WebhookHeaders {
  id: string;
  timestamp: string;
  signature: string;
}

/** A secret that verifies deliveries, until `expiresAt` (ms since epoch) when it has one. */
export interface VerifyingSecret {
  secret: string;
  expiresAt: number | null;
}

const WEBHOOK_ID = /^[\x21-\x7e]{1,255}$/;
const TIMESTAMP = /^\d{1,12}$/;
const MAX_SIGNATURE_HEADER = 4096;

const refused = (detail: string) => new GatewayError('unauthorized', detail);

/** The three headers, each present once and well formed; anything else is a 401. */
export function webhookHeaders(headers: Record<string, string | string[] | undefined>): WebhookHeaders {
  const one = (name: string): string => {
    const value = headers[name];
    if (typeof value !== 'string' || value === '')
      throw refused(
        `The ${name} header is missing (send webhook-id, webhook-timestamp and webhook-signature).`,
      );
    return value;
  };
  const id = one('webhook-id');
  const timestamp = one('webhook-timestamp');
  const signature = one('webhook-signature');
  if (!WEBHOOK_ID.test(id)) throw refused('webhook-id must be 1-255 printable ASCII characters.');
  if (!TIMESTAMP.test(timestamp)) throw refused('webhook-timestamp must be Unix time in seconds.');
  if (signature.length > MAX_SIGNATURE_HEADER) throw refused('webhook-signature is too long.');
  return { id, timestamp, signature };
}

/**
 * Verifies a delivery with the `standardwebhooks` library: HMAC-SHA256 over
 * `{id}.{timestamp}.{body}`, any of several space-separated `v1,` signatures, compared in
 * constant time, the timestamp within 5 minutes of now. The library signs the body as a
 * string, so the raw bytes must be UTF-8 (then the string and the bytes are the same message).
 */
export class SignatureVerifier {
  private readonly hooks: { hook: Webhook; expiresAt: number | null }[];

  constructor(secrets: readonly VerifyingSecret[]) {
    this.hooks = secrets.map((s) => ({ hook: new Webhook(s.secret), expiresAt: s.expiresAt }));
  }

  verify(raw: Buffer, headers: WebhookHeaders, now = Date.now()): void {
    if (!isUtf8(raw)) throw refused('The signature does not match the body (the body is not UTF-8).');
    const body = raw.toString('utf8');
    const signed = {
      'webhook-id': headers.id,
      'webhook-timestamp': headers.timestamp,
      'webhook-signature': headers.signature,
    };
    for (const { hook, expiresAt } of this.hooks) {
      if (expiresAt !== null && expiresAt <= now) continue;
      try {
        hook.verify(body, signed, { jsonParse: false });
        return;
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        if (/timestamp/i.test(error.message))
          throw refused('webhook-timestamp is more than 5 minutes away from now; sign the message again.');
      }
    }
    throw refused('No webhook-signature matches the body with any secret of this source.');
  }
}
