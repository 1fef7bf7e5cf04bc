import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ApiProcess {
  child: ChildProcess;
  /** Where the process listens, from its "mailroom listening" log line. */
  url: string;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/** Starts the real entry point (`src/main.ts`) as its own process with the given environment. */
export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    // ENV_FILE empty: a developer's .env in the checkout must not change the process under test.
    env: { ...process.env, ...env, ENV_FILE: '', PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('"mailroom listening"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url.replace('[::1]', '127.0.0.1'));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`API process exited (${code}): ${output.slice(-2000)}`)));
  });
  return {
    child,
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
