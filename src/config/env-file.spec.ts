import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvFile } from './env-file';

describe('loadEnvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-env-'));
  const file = join(dir, 'test.env');
  writeFileSync(file, 'MAILROOM_SPEC_FROM_FILE=file\nMAILROOM_SPEC_BOTH=file\n');

  it('loads the file ENV_FILE names, and the real environment wins', () => {
    const env: NodeJS.ProcessEnv = { ENV_FILE: file, MAILROOM_SPEC_BOTH: 'real' };
    expect(loadEnvFile(env)).toBe(file);
    expect(env).toEqual({ ENV_FILE: file, MAILROOM_SPEC_BOTH: 'real', MAILROOM_SPEC_FROM_FILE: 'file' });
  });

  it('loads nothing when the file is missing or ENV_FILE is empty', () => {
    const missing: NodeJS.ProcessEnv = { ENV_FILE: join(dir, 'missing.env') };
    expect(loadEnvFile(missing)).toBeNull();
    expect(missing).toEqual({ ENV_FILE: join(dir, 'missing.env') });
    expect(loadEnvFile({ ENV_FILE: '' })).toBeNull();
  });
});
