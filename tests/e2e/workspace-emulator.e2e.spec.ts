// @module-tag e2e
import { LambdaClient, ListFunctionsCommand, ListLayersCommand } from '@aws-sdk/client-lambda';
import { execa } from 'execa';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmulatorRecord } from '../../packages/local-aws/src/emulator-record';
import { localAwsClientConfig } from '../../packages/local-aws/src/local-credentials';
import { isPortFree } from '../../packages/local-aws/src/moto-server';
import { MOTO_VENV_VARIABLE, motoVenvDir } from '../../packages/local-aws/src/venv';
import { stopLocalAws } from '../../packages/local-aws/src/workspace-emulator';
import { NxWorkspace, REPO_ROOT, SAMPLE_FUNCTIONS, SAMPLE_LAYERS as LAYERS } from './nx-workspace';

// No AWS_ENDPOINT_URL: each workspace's `-c local` starts its own emulator, as on a developer's machine.
// The installed moto is this repo's (one pip install per machine, not per throwaway workspace).
const LOCAL = { AWS_ENDPOINT_URL: '', [MOTO_VENV_VARIABLE]: motoVenvDir(REPO_ROOT) };

/** The emulator CLI as a user runs it: the compiled one from node_modules, in the workspace's folder. */
const localAws = async (ws: NxWorkspace, ...args: string[]) => {
  const run = await execa(process.execPath, [join(REPO_ROOT, 'packages', 'local-aws', 'bin', 'local-aws.cjs'), ...args], { cwd: ws.root, reject: false, all: true, env: LOCAL });
  return { status: run.exitCode, output: run.all ?? '' };
};

/** What an emulator holds: function and layer names, straight from it. */
async function contentsOf(endpoint: string) {
  const lambda = new LambdaClient(localAwsClientConfig(endpoint));
  const functions = (await lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
  const layers = (await lambda.send(new ListLayersCommand({}))).Layers ?? [];
  return { functions: functions.map((f) => f.FunctionName).sort(), layers: layers.map((l) => l.LayerName).sort() };
}

describe('two checkouts deploying -c local at the same time', () => {
  const tag = process.pid % 10000;
  let a: NxWorkspace;
  let b: NxWorkspace;
  const endpointOf = (ws: NxWorkspace) => `http://127.0.0.1:${readEmulatorRecord(ws.root)!.port}`;

  beforeAll(async () => {
    a = new NxWorkspace('', `wsa${tag}`);
    b = new NxWorkspace('', `wsb${tag}`);
    const [runA, runB] = await Promise.all([a.nx(['run-many', '-t', 'deploy', '-c', 'local'], LOCAL), b.nx(['run-many', '-t', 'deploy', '-c', 'local'], LOCAL)]);
    expect(runA.status, runA.output).toBe(0);
    expect(runB.status, runB.output).toBe(0);
  });
  // Whatever a failed assertion left running: stop is a no-op for an emulator already stopped.
  afterAll(async () => {
    for (const ws of [a, b]) if (ws) await stopLocalAws(ws.root);
  });

  it('each started its own emulator, recorded under its own .local-aws/', () => {
    const [recordA, recordB] = [readEmulatorRecord(a.root), readEmulatorRecord(b.root)];
    expect(recordA?.workspace).toBe(realpathSync(a.root));
    expect(recordB?.workspace).toBe(realpathSync(b.root));
    expect(recordA?.port).not.toBe(recordB?.port);
  });

  it("each emulator holds exactly its own workspace's functions and layers", async () => {
    for (const ws of [a, b]) {
      expect(await contentsOf(endpointOf(ws))).toEqual({
        functions: SAMPLE_FUNCTIONS.map((fn) => ws.awsName(fn)).sort(),
        layers: LAYERS.map((layer) => ws.awsName(layer)).sort(),
      });
    }
  });

  it('status names the workspace its emulator serves, and the port', async () => {
    for (const ws of [a, b]) {
      const record = readEmulatorRecord(ws.root)!;
      const status = await localAws(ws, 'status');
      expect(status).toEqual({ status: 0, output: `local-aws: up at http://127.0.0.1:${record.port} (port ${record.port}, pid ${record.pid}) for workspace ${realpathSync(ws.root)}` });
    }
  });

  it('a second deploy finds its workspace emulator again: same server and record, nothing started', async () => {
    const before = readEmulatorRecord(a.root);
    const again = await a.nx(['run-many', '-t', 'deploy', '-c', 'local'], LOCAL);
    expect(again.status, again.output).toBe(0);
    expect(again.output).not.toContain('moto listening');
    expect(readEmulatorRecord(a.root)).toEqual(before);
    expect((await contentsOf(endpointOf(a))).functions).toEqual(SAMPLE_FUNCTIONS.map((fn) => a.awsName(fn)).sort());
  });

  it('stop ends each workspace’s emulator and frees its port', async () => {
    for (const ws of [a, b]) {
      const record = readEmulatorRecord(ws.root)!;
      const stop = await localAws(ws, 'stop');
      expect(stop).toEqual({ status: 0, output: `local-aws: stopped http://127.0.0.1:${record.port} (pid ${record.pid}) of workspace ${realpathSync(ws.root)}` });
      expect(await isPortFree(record.port)).toBe(true);
      expect(await localAws(ws, 'status')).toEqual({ status: 0, output: `local-aws: not running for workspace ${realpathSync(ws.root)}` });
    }
  });
});
