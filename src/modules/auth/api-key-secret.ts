import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'mr_live_';
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 16;
const KEY_PATTERN = /^mr_live_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedKey {
  id: string;
  /** The whole key, shown to the caller once. */
  key: string;
  secretHash: Buffer;
}

function randomId(): string {
  const bytes = randomBytes(ID_LENGTH);
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

export function hashSecret(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/** `mr_live_<id>_<secret>`: the id part finds the row, only a hash of the secret is stored. */
export function generateKey(): GeneratedKey {
  const id = randomId();
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `${PREFIX}${id}_${secret}`, secretHash: hashSecret(secret) };
}

export function parseKey(key: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { id: match[1], secret: match[2] } : null;
}

/** Constant-time comparison of two secrets of any length (both are hashed first). */
export function secretsEqual(presented: string, expectedHash: Buffer): boolean {
  const presentedHash = hashSecret(presented);
  return presentedHash.length === expectedHash.length && timingSafeEqual(presentedHash, expectedHash);
}
