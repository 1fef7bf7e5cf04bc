import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

/** A delivery signed the way a downstream system signs it: with the `standardwebhooks` library. */
export function signDelivery(
  secret: string,
  event: unknown,
  options: { id?: string; at?: Date; body?: string } = {},
): SignedDelivery {
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const body = options.body ?? JSON.stringify(event);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, body),
    },
  };
}
