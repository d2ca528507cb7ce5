import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { withDirLock } from './dir-lock';
import { readEmulatorRecord, removeEmulatorRecord, writeEmulatorRecord, type EmulatorRecord } from './emulator-record';
import { endpointOf, isMotoHealthy, isPortFree, motoIdentityAt, startMotoServer } from './moto-server';
import { terminate } from './process-exit';
import { ensureMotoVenv, motoVenvDir } from './venv';
import { localAwsDir } from './workspace-root';

/** A workspace's own emulator, proven by its answer to the identity route. */
export interface WorkspaceEmulator {
  workspace: string;
  endpoint: string;
  port: number;
  pid: number;
}

export interface LocalAwsOptions {
  /** The workspace whose emulator this is: Nx's context.root, or the CLI's nearest nx.json. */
  workspaceRoot: string;
  /** Only when starting: the port to start on. */
  port?: number;
  log?: (line: string) => void;
  /** Where VECTORA_LOCAL_AWS_VENV is read (the venv to use). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The workspace's recorded emulator, if the server on the recorded port answers with the recorded
 * token and this workspace: a dead server, a port now taken by someone else, or a record copied
 * along with the folder all read as "not running".
 */
export async function runningEmulator(workspaceRoot: string): Promise<WorkspaceEmulator | undefined> {
  const workspace = realpathSync(workspaceRoot);
  const record = readEmulatorRecord(workspace);
  if (!record) return undefined;
  const identity = await motoIdentityAt(endpointOf(record.port));
  if (identity?.token !== record.token || identity.workspace !== workspace) return undefined;
  return { workspace, endpoint: endpointOf(record.port), port: record.port, pid: identity.pid };
}

/**
 * What the `local` environment calls before a deploy: this workspace's emulator, started (detached,
 * so its state outlives the run) when it is not running. Parallel tasks of one Nx run all land here
 * on a cold start: the first starts it under a lock, the others find it recorded.
 */
export async function ensureLocalAws(opts: LocalAwsOptions): Promise<WorkspaceEmulator & { started: boolean }> {
  const workspace = realpathSync(opts.workspaceRoot);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const running = await runningEmulator(workspace);
  if (running) return { ...refuseOtherPort(running, opts.port), started: false };
  // Installed before the start lock, under its own: the lock then covers a start of seconds, not a pip install.
  const venvDir = motoVenvDir(workspace, opts.env);
  await ensureMotoVenv({ venvDir, log });
  mkdirSync(localAwsDir(workspace), { recursive: true });
  return withDirLock(join(localAwsDir(workspace), 'start.lock'), async () => {
    const startedMeanwhile = await runningEmulator(workspace);
    if (startedMeanwhile) return { ...refuseOtherPort(startedMeanwhile, opts.port), started: false };
    const port = opts.port ?? (await previousPortIfFree(workspace, readEmulatorRecord(workspace), log));
    if (opts.port !== undefined) {
      const occupant = await occupantOf(opts.port, workspace);
      if (occupant) throw new Error(`local AWS: port ${opts.port} is taken by ${occupant}: choose another --port, or none to get a free one`);
    }
    const server = await startMotoServer({
      venvDir,
      port,
      detached: true,
      workspace,
      logFile: join(localAwsDir(workspace), 'moto.log'),
      log,
    });
    const record: EmulatorRecord = { workspace, port: server.port, pid: server.pid, token: server.token, startedAt: new Date().toISOString() };
    writeEmulatorRecord(workspace, record);
    return { workspace, endpoint: server.endpoint, port: server.port, pid: server.pid, started: true };
  });
}

/** Stops the workspace's emulator; undefined when it was not running (a stale record is cleared). */
export async function stopLocalAws(workspaceRoot: string): Promise<WorkspaceEmulator | undefined> {
  const workspace = realpathSync(workspaceRoot);
  mkdirSync(localAwsDir(workspace), { recursive: true });
  return withDirLock(join(localAwsDir(workspace), 'start.lock'), async () => {
    const running = await runningEmulator(workspace);
    if (running) await terminate(running.pid);
    removeEmulatorRecord(workspace);
    return running;
  });
}

/** The workspace's emulator, or what became of the recorded one (for `status`). */
export async function localAwsStatus(workspaceRoot: string): Promise<{ workspace: string; running?: WorkspaceEmulator; recordedPort?: number; occupant?: string }> {
  const workspace = realpathSync(workspaceRoot);
  const running = await runningEmulator(workspace);
  if (running) return { workspace, running };
  const record = readEmulatorRecord(workspace);
  return { workspace, recordedPort: record?.port, occupant: record ? await occupantOf(record.port, workspace) : undefined };
}

/** Who holds `port` when it is not this workspace's recorded emulator, in words; undefined when the port is free. */
export async function occupantOf(port: number, workspace: string): Promise<string | undefined> {
  const identity = await motoIdentityAt(endpointOf(port));
  if (identity?.workspace === workspace) return `an earlier emulator of this workspace that its record no longer names (pid ${identity.pid}; end it with \`kill ${identity.pid}\`)`;
  if (identity?.workspace) return `the emulator of workspace ${identity.workspace} (pid ${identity.pid})`;
  if (identity) return `a moto server started for no workspace (pid ${identity.pid})`;
  if (await isMotoHealthy(endpointOf(port))) return 'a moto server this tool did not start';
  return (await isPortFree(port)) ? undefined : 'a program other than this tool';
}

/** Keeps the port a workspace had (tools pointed at it keep working); a port taken since then is left alone, with a word. */
async function previousPortIfFree(workspace: string, record: EmulatorRecord | undefined, log: (line: string) => void): Promise<number | undefined> {
  if (!record) return undefined;
  const occupant = await occupantOf(record.port, workspace);
  if (!occupant) return record.port;
  log(`local-aws: port ${record.port}, where this workspace's emulator ran, is now taken by ${occupant}; starting this workspace's emulator on a free port`);
  return undefined;
}

function refuseOtherPort(running: WorkspaceEmulator, port: number | undefined): WorkspaceEmulator {
  if (port !== undefined && port !== running.port) {
    throw new Error(`local AWS: this workspace's emulator already runs on port ${running.port}; stop it first (npm run local-aws -- stop) to start it on port ${port}`);
  }
  return running;
}
