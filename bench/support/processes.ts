import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Starts a TypeScript entry point in its own process, its output going to a file (a pipe read
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
  const child = spawn(process.execPath, [...nodeArgs, '-r', '@swc-node/register', join(ROOT, entry)], {
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
