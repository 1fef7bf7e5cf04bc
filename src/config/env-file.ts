import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Loads `.env` (or the file ENV_FILE names; empty ENV_FILE loads none) into `env` when it
 * exists. Variables already set in the real environment win. Returns the file it loaded.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | null {
  const name = env.ENV_FILE ?? '.env';
  if (name === '') return null;
  const path = resolve(name);
  if (!existsSync(path)) return null;
  const values = parseEnv(readFileSync(path, 'utf8'));
  for (const [key, value] of Object.entries(values)) if (env[key] === undefined) env[key] = value;
  return path;
}
