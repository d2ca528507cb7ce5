import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { isAlive, terminate } from './process-exit';
import { IDENTITY_PATH, SERVE_MOTO_SCRIPT } from './serve-moto-script';
import { ensureMotoVenv } from './venv';

const HOST = '127.0.0.1';
/** The first start on a free port can lose a race for it; a port the caller chose is never swapped. */
const START_ATTEMPTS = 3;
/** Only a hung start waits this long: a moto that cannot start exits, and that is seen at once. */
const START_TIMEOUT_MS = 120_000;

export interface MotoServer {
  endpoint: string;
  port: number;
  pid: number;
  /** Chosen at start and answered by the server's identity route: proves the server is this one. */
  token: string;
  stop(): Promise<void>;
}

/** What a server started by this tool says about itself. */
export interface MotoIdentity {
  token: string;
  workspace: string | null;
  pid: number;
}

export function endpointOf(port: number): string {
  return `http://${HOST}:${port}`;
}

/** True when a moto server (not just anything) answers at `endpoint`. */
export async function isMotoHealthy(endpoint: string): Promise<boolean> {
  try {
    // The dashboard page: cheap, and moto-specific. (data.json would serialise every backend, and
    // Lambda's tries to reach Docker and fails once functions exist.)
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5000) });
    return response.ok && /moto/i.test(await response.text());
  } catch {
    return false;
  }
}

/** Who a moto started by this tool says it is; undefined when nothing, or some other server, answers. */
export async function motoIdentityAt(endpoint: string): Promise<MotoIdentity | undefined> {
  try {
    const response = await fetch(`${endpoint}${IDENTITY_PATH}`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as Partial<MotoIdentity>;
    return typeof body.token === 'string' && typeof body.pid === 'number' ? { token: body.token, workspace: body.workspace ?? null, pid: body.pid } : undefined;
  } catch {
    return undefined;
  }
}

export async function freePort(): Promise<number> {
  return listenOnce(0);
}

/** True when nothing listens on `port` of loopback (this process could bind it). */
export async function isPortFree(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, HOST, () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolve(bound));
    });
  });
}

export interface StartMotoOptions {
  /** The venv holding moto (installed there on first use). */
  venvDir: string;
  /** Default: a free port. A port where anything already answers is refused, never reused. */
  port?: number;
  /**
   * Leave it running after this process exits (the `local` environment keeps its state between
   * deploys), outside this process's tree: killing the starter and its descendants leaves it be.
   */
  detached?: boolean;
  /** The workspace it serves, answered by its identity route. */
  workspace?: string;
  /**
   * Default: `moto-<port>.log` in a new folder under the system's temporary folder. Not beside the
   * venv: a venv shared by workspaces and test runs collected one log per server there, never removed.
   */
  logFile?: string;
  log?: (line: string) => void;
}

/**
 * Starts moto on loopback and waits until it answers with the token chosen here, so a server that
 * was already on the port (or took it meanwhile) is never mistaken for this one. `stop()` ends it.
 */
export async function startMotoServer(opts: StartMotoOptions): Promise<MotoServer> {
  if (opts.port !== undefined && !(await isPortFree(opts.port))) {
    throw new Error(`local AWS: port ${opts.port} is already in use${(await isMotoHealthy(endpointOf(opts.port))) ? ' by another moto server' : ''}: choose another port, or none to get a free one`);
  }
  const { python } = await ensureMotoVenv({ venvDir: opts.venvDir, log: opts.log });
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    try {
      return await spawnMoto(python, port, opts);
    } catch (error) {
      if (opts.port !== undefined || attempt >= START_ATTEMPTS || !(error instanceof MotoExited)) throw error;
    }
  }
}

class MotoExited extends Error {}

async function spawnMoto(python: string, port: number, opts: StartMotoOptions): Promise<MotoServer> {
  const endpoint = endpointOf(port);
  const logFile = opts.logFile ?? join(mkdtempSync(join(tmpdir(), 'local-aws-moto-')), `moto-${port}.log`);
  // Detached, the started process forks the server and names it here before exiting (see serve-moto-script.ts).
  const pidFile = opts.detached ? `${logFile}.pid` : undefined;
  const token = randomUUID();
  mkdirSync(dirname(logFile), { recursive: true });
  if (pidFile) rmSync(pidFile, { force: true });
  const out = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(python, ['-c', SERVE_MOTO_SCRIPT, '-H', HOST, '-p', String(port)], {
      detached: opts.detached === true,
      stdio: ['ignore', out, out],
      // Moto's Lambda would otherwise look for Docker to run functions; deploys never invoke them.
      env: {
        ...withoutAwsSettings(process.env),
        MOTO_DOCKER_NETWORK_MODE: 'none',
        LOCAL_AWS_TOKEN: token,
        LOCAL_AWS_WORKSPACE: opts.workspace ?? '',
        ...(pidFile ? { LOCAL_AWS_PID_FILE: pidFile } : {}),
      },
    });
  } finally {
    closeSync(out);
  }
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const forkedPid = () => (pidFile && existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || undefined : undefined);
  /** Why the server is gone, or undefined while it may still come up. */
  const gone = (): string | undefined => {
    if (exited === undefined) return undefined;
    const forked = forkedPid();
    if (forked === undefined) return `exited with ${exited}`;
    return isAlive(forked) ? undefined : 'exited';
  };
  let identity: MotoIdentity;
  try {
    identity = await waitUntilAnswering(endpoint, token, gone, logFile);
  } catch (error) {
    if (exited === undefined) child.kill('SIGKILL');
    const forked = forkedPid();
    if (forked !== undefined && isAlive(forked)) process.kill(forked, 'SIGKILL');
    throw error;
  } finally {
    if (pidFile) rmSync(pidFile, { force: true });
  }
  if (opts.detached) child.unref();
  opts.log?.(`local-aws: moto listening on ${endpoint} (pid ${identity.pid})`);
  return {
    endpoint,
    port,
    pid: identity.pid,
    token,
    stop: async () => {
      if (opts.detached) return terminate(identity.pid);
      if (exited !== undefined) return;
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([ended, sleep(5000)]);
      if (exited === undefined) child.kill('SIGKILL');
    },
  };
}

/**
 * The caller's environment without AWS_*: moto's own boto3 reads AWS_PROFILE and friends, and a
 * profile it cannot find (or an empty one) fails every request; nor has a real account's credentials
 * any business in the emulator, which outlives the deploy that started it.
 */
function withoutAwsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_')));
}

async function waitUntilAnswering(endpoint: string, token: string, gone: () => string | undefined, logFile: string): Promise<MotoIdentity> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const identity = await motoIdentityAt(endpoint);
    if (identity?.token === token) return identity;
    const why = gone() ?? (Date.now() > deadline ? `did not answer within ${START_TIMEOUT_MS / 1000}s` : undefined);
    if (why) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n  ') : '';
      const message = `local AWS: moto did not come up on ${endpoint} (${why}; log: ${logFile})${tail ? `:\n  ${tail}` : ''}`;
      throw gone() ? new MotoExited(message) : new Error(message);
    }
    await sleep(200);
  }
}

/** Wipes every resource in the emulator: a clean account without a restart. */
export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`local AWS: reset failed at ${endpoint}: HTTP ${response.status}`);
}
