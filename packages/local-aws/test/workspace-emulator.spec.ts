import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { execa } from 'execa';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { readEmulatorRecord, writeEmulatorRecord } from '../src/emulator-record';
import { localAwsClientConfig } from '../src/local-credentials';
import { endpointOf, freePort, isPortFree, motoIdentityAt } from '../src/moto-server';
import { MOTO_VENV_VARIABLE, motoVenvDir } from '../src/venv';
import { ensureLocalAws, localAwsStatus, stopLocalAws } from '../src/workspace-emulator';
import { REPO_ROOT } from './global-setup';

// Each workspace runs its own server; the installed moto is the repo's, not one per temp folder.
const env = { [MOTO_VENV_VARIABLE]: motoVenvDir(REPO_ROOT) };
const workspaces: string[] = [];

/** A folder that is an Nx workspace as far as the emulator cares: it holds nx.json. */
function newWorkspace(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'local-aws-ws-')));
  writeFileSync(join(root, 'nx.json'), '{}\n');
  workspaces.push(root);
  return root;
}

const bucketsAt = async (endpoint: string) => ((await new S3Client(localAwsClientConfig(endpoint)).send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);

afterAll(async () => {
  for (const root of workspaces) await stopLocalAws(root);
});

describe("a workspace's own emulator", () => {
  it('two workspaces get two servers, each recorded under its own .local-aws/ and holding only its own resources', async () => {
    const [a, b] = [newWorkspace(), newWorkspace()];
    const [first, second] = await Promise.all([ensureLocalAws({ workspaceRoot: a, env }), ensureLocalAws({ workspaceRoot: b, env })]);
    expect(first.port).not.toBe(second.port);
    expect(readEmulatorRecord(a)).toMatchObject({ workspace: a, port: first.port, pid: first.pid });
    expect(readEmulatorRecord(b)).toMatchObject({ workspace: b, port: second.port, pid: second.pid });
    expect(await motoIdentityAt(first.endpoint)).toMatchObject({ workspace: a, pid: first.pid });

    await new S3Client(localAwsClientConfig(first.endpoint)).send(new CreateBucketCommand({ Bucket: 'only-in-a' }));
    expect(await bucketsAt(first.endpoint)).toEqual(['only-in-a']);
    expect(await bucketsAt(second.endpoint)).toEqual([]);

    // Asked again, each workspace finds its own running server: state survives between deploys.
    expect(await ensureLocalAws({ workspaceRoot: a, env })).toMatchObject({ port: first.port, pid: first.pid, started: false });
    expect(await localAwsStatus(a)).toEqual({ workspace: a, running: { workspace: a, endpoint: first.endpoint, port: first.port, pid: first.pid } });
  });

  it("runs outside the starting process's tree, so a task runner ending its workers' descendants leaves it running", async () => {
    const root = newWorkspace();
    const started = await ensureLocalAws({ workspaceRoot: root, env });
    const parent = Number((await execa('ps', ['-o', 'ppid=', '-p', String(started.pid)])).stdout.trim());
    expect(parent).not.toBe(process.pid);
    expect(await motoIdentityAt(started.endpoint)).toMatchObject({ pid: started.pid, workspace: root });
  });

  it('parallel tasks on a cold start start one server between them', async () => {
    const root = newWorkspace();
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureLocalAws({ workspaceRoot: root, env })));
    expect(results.filter((r) => r.started)).toHaveLength(1);
    expect(new Set(results.map((r) => `${r.port}/${r.pid}`)).size).toBe(1);
  });

  it('a record naming a dead server starts a new one, on the recorded port while it is free', async () => {
    const root = newWorkspace();
    const port = await freePort();
    writeEmulatorRecord(root, { workspace: root, port, pid: 999_999, token: 'from-a-server-long-gone', startedAt: new Date(0).toISOString() });
    expect(await localAwsStatus(root)).toEqual({ workspace: root, recordedPort: port, occupant: undefined });

    const started = await ensureLocalAws({ workspaceRoot: root, env });
    expect(started).toMatchObject({ port, started: true });
    expect(readEmulatorRecord(root)?.token).not.toBe('from-a-server-long-gone');
  });

  it("never uses another workspace's server found on the recorded port: it says so and starts its own on another port", async () => {
    const [owner, copy] = [newWorkspace(), newWorkspace()];
    const theirs = await ensureLocalAws({ workspaceRoot: owner, env });
    // A folder copied with its .local-aws/ carries the other workspace's record: port, pid and token.
    writeEmulatorRecord(copy, readEmulatorRecord(owner)!);
    expect(await localAwsStatus(copy)).toMatchObject({ recordedPort: theirs.port, occupant: `the emulator of workspace ${owner} (pid ${theirs.pid})` });

    const lines: string[] = [];
    const ours = await ensureLocalAws({ workspaceRoot: copy, env, log: (line) => lines.push(line) });
    expect(ours.port).not.toBe(theirs.port);
    expect(lines[0]).toBe(
      `local-aws: port ${theirs.port}, where this workspace's emulator ran, is now taken by the emulator of workspace ${owner} (pid ${theirs.pid}); starting this workspace's emulator on a free port`,
    );
    expect(readEmulatorRecord(copy)).toMatchObject({ workspace: copy, port: ours.port });
  });

  it('moves off a recorded port where a moto this tool did not start for a workspace answers (the test suite’s own)', async () => {
    const root = newWorkspace();
    const testMotoPort = Number(new URL(inject('motoEndpoint')).port);
    writeEmulatorRecord(root, { workspace: root, port: testMotoPort, pid: 999_999, token: 'stale', startedAt: new Date(0).toISOString() });
    const started = await ensureLocalAws({ workspaceRoot: root, env, log: () => {} });
    expect(started.port).not.toBe(testMotoPort);
  });

  it('a --port already taken fails with what holds it, and one taken by its own server is refused while it runs elsewhere', async () => {
    const [a, b] = [newWorkspace(), newWorkspace()];
    const theirs = await ensureLocalAws({ workspaceRoot: a, env });
    await expect(ensureLocalAws({ workspaceRoot: b, port: theirs.port, env })).rejects.toThrow(
      `local AWS: port ${theirs.port} is taken by the emulator of workspace ${a} (pid ${theirs.pid}): choose another --port, or none to get a free one`,
    );
    const other = await freePort();
    await expect(ensureLocalAws({ workspaceRoot: a, port: other, env })).rejects.toThrow(
      `local AWS: this workspace's emulator already runs on port ${theirs.port}; stop it first (npm run local-aws -- stop) to start it on port ${other}`,
    );
  });

  it('stop ends the server and clears the record; stopping again finds nothing', async () => {
    const root = newWorkspace();
    const started = await ensureLocalAws({ workspaceRoot: root, env });
    expect(await stopLocalAws(root)).toMatchObject({ port: started.port, pid: started.pid });
    expect(await isPortFree(started.port)).toBe(true);
    expect(await motoIdentityAt(endpointOf(started.port))).toBeUndefined();
    expect(readEmulatorRecord(root)).toBeUndefined();
    expect(await stopLocalAws(root)).toBeUndefined();
    expect(await localAwsStatus(root)).toEqual({ workspace: root, recordedPort: undefined, occupant: undefined });
  });
});
