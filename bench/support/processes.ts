import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The node flags of `npm start` (and the Dockerfile's CMD): the gateway is measured as it is run. */
const PRODUCTION_NODE_FLAGS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));

/**
 * What runs in production runs as production does: entries of the build (src/, simulators/)
 * start from `dist/` as plain JavaScript, which `bench/run.ts` builds first. Bench-only entries
 * are TypeScript, loaded through @swc-node/register.
 */
function entryArgs(entry: string): string[] {
  if (entry === 'src/main.ts') return [...PRODUCTION_NODE_FLAGS, join(ROOT, 'dist', 'src', 'main.js')];
  if (/^(src|simulators)\//.test(entry)) return [join(ROOT, 'dist', entry.replace(/\.ts$/, '.js'))];
  return ['-r', '@swc-node/register', join(ROOT, entry)];
}

/**
 * Starts an entry point in its own process, its output going to a file (a pipe read
 * by the busy load generator would stall the process under test), and resolves with the first
 * match of `ready` in that output.
 */
export async function startProcess(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeArgs: string[] = [],
  timeoutMs = 60_000,
): Promise<{ child: ChildProcess; match: RegExpMatchArray; logFile: string }> {
  const logFile = join(mkdtempSync(join(tmpdir(), 'mailroom-bench-')), 'output.log');
  const fd = openSync(logFile, 'a');
  // BENCH_PROFILE_DIR: every process under test writes a CPU profile there when it exits.
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...nodeArgs, ...entryArgs(entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const output = readFileSync(logFile, 'utf8');
    const match = output.match(ready);
    if (match) return { child, match, logFile };
    if (exited !== null) throw new Error(`${entry} exited with ${exited}:\n${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${entry} did not start in time:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Polls a readiness URL until it answers 200. */
export async function waitUntilReady(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready`);
}

/** Starts the gateway (src/main.ts) on a free port and waits until it is ready. */
export async function startGateway(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; url: string; logFile: string }> {
  const port = await freePort();
  const started = await startProcess(
    'src/main.ts',
    // ENV_FILE empty: a developer's .env must not change what is measured.
    { ...env, ENV_FILE: '', PORT: String(port), HOST: '127.0.0.1' },
    /(?:)/,
    nodeArgs,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${url}/health/ready`);
  return { child: started.child, url, logFile: started.logFile };
}
