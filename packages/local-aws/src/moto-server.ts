import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { localAwsDir } from './repo-root';
import { withDirLock } from './dir-lock';
import { ensureMotoVenv } from './venv';

/** The `local` environment's port; tests use a free port each. */
export const LOCAL_AWS_DEFAULT_PORT = 5055;
const HOST = '127.0.0.1';

export interface MotoServer {
  endpoint: string;
  port: number;
  pid?: number;
  startedByUs: boolean;
  stop(): Promise<void>;
}

export function endpointOf(port: number): string {
  return `http://${HOST}:${port}`;
}

/** True when a moto server (not just anything) answers at `endpoint`. */
export async function isMotoHealthy(endpoint: string): Promise<boolean> {
  try {
    // The dashboard page: cheap, and moto-specific. (data.json would serialise every backend, and
    // Lambda's tries to reach Docker and fails once functions exist.)
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1500) });
    return response.ok && /moto/i.test(await response.text());
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const pidFile = (port: number) => join(localAwsDir(), `moto-${port}.pid`);
const logFile = (port: number) => join(localAwsDir(), `moto-${port}.log`);

/**
 * Starts moto on loopback, or reuses one already answering on the requested port. `detached` leaves
 * it running after this process exits (the `local` environment keeps its state between deploys);
 * otherwise it is a child that `stop()` ends.
 */
export async function startMotoServer(opts: { port?: number; detached?: boolean; log?: (line: string) => void } = {}): Promise<MotoServer> {
  if (opts.port) {
    const endpoint = endpointOf(opts.port);
    if (await isMotoHealthy(endpoint)) return { endpoint, port: opts.port, startedByUs: false, stop: async () => {} };
  }
  const { python } = await ensureMotoVenv({ log: opts.log });
  const port = opts.port || (await freePort());
  const endpoint = endpointOf(port);
  mkdirSync(localAwsDir(), { recursive: true });
  const out = openSync(logFile(port), 'w');
  let child: ChildProcess;
  try {
    child = spawn(python, ['-m', 'moto.server', '-H', HOST, '-p', String(port)], {
      detached: opts.detached === true,
      stdio: ['ignore', out, out],
      // Moto's Lambda would otherwise look for Docker to run functions; deploys never invoke them.
      env: { ...process.env, MOTO_DOCKER_NETWORK_MODE: 'none' },
    });
  } finally {
    closeSync(out);
  }
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  await waitUntilHealthy(endpoint, () => exited, port);
  if (opts.detached) {
    child.unref();
    writeFileSync(pidFile(port), String(child.pid));
  }
  opts.log?.(`local-aws: moto listening on ${endpoint} (pid ${child.pid})`);
  return {
    endpoint,
    port,
    pid: child.pid,
    startedByUs: true,
    stop: async () => {
      if (exited !== undefined) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, sleep(5000)]);
      if (exited === undefined) child.kill('SIGKILL');
      if (opts.detached) rmSync(pidFile(port), { force: true });
    },
  };
}

async function waitUntilHealthy(endpoint: string, exitCode: () => number | null | undefined, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await isMotoHealthy(endpoint))) {
    const code = exitCode();
    if (code !== undefined || Date.now() > deadline) {
      const tail = existsSync(logFile(port)) ? readFileSync(logFile(port), 'utf8').trim().split('\n').slice(-5).join('\n  ') : '';
      throw new Error(`local AWS: moto did not come up on ${endpoint} (${code !== undefined ? `exited with ${code}` : 'timed out after 60s'})${tail ? `:\n  ${tail}` : ''}`);
    }
    await sleep(200);
  }
}

/** Stops a detached server this tool started on `port` (found by its pid file); false when there was none. */
export async function stopMotoServer(port: number = LOCAL_AWS_DEFAULT_PORT): Promise<boolean> {
  const file = pidFile(port);
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, 'utf8'));
  rmSync(file, { force: true });
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}

/** Wipes every resource in the emulator: a clean account without a restart. */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`local AWS: reset failed at ${endpoint}: HTTP ${response.status}`);
}

/** What the `local` environment calls before a deploy: the default-port server, started (detached) if none answers. */
export async function ensureLocalAws(opts: { port?: number; log?: (line: string) => void } = {}): Promise<{ endpoint: string }> {
  const port = opts.port ?? LOCAL_AWS_DEFAULT_PORT;
  if (await isMotoHealthy(endpointOf(port))) return { endpoint: endpointOf(port) };
  mkdirSync(localAwsDir(), { recursive: true });
  // Parallel deploy tasks all land here on a cold start: one starts the server, the others reuse it.
  const server = await withDirLock(join(localAwsDir(), `start-${port}.lock`), () =>
    startMotoServer({ port, detached: true, log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)) }),
  );
  return { endpoint: server.endpoint };
}
