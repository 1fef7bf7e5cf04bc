import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker consumes its queues. */
  ready: Promise<void>;
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<number | string>;
}

const ENTRY = join(__dirname, 'test-worker.entry.ts');
const ROOT = join(__dirname, '..', '..');

/** Starts `node -r @swc-node/register test-worker.entry.ts` with ROLE=worker and the test app's env. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', ENTRY], {
    cwd: ROOT,
    env: { ...process.env, ...env, ROLE: 'worker', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker ready')) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`worker exited (${code}) before it was ready: ${stderr.slice(-2000)}`)),
    );
  });
  return { child, ready, exited };
}
