import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMotoServer, type MotoServer } from '../src/moto-server';
import { motoVenvDir } from '../src/venv';

/** This repository: its venv (or VECTORA_LOCAL_AWS_VENV's) serves every test's moto. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

let server: MotoServer | undefined;
let runTmp: string | undefined;

/** One moto for the whole run, on a free port; installs it first if this machine has never run it. */
export async function setup(project: TestProject): Promise<void> {
  // Every temporary folder of the run (e2e workspaces with their Nx caches, engine test workspaces,
  // pip's scratch, every moto's log) under one folder of its own, removed at the end: a suite run made
  // about 600 MB of them. The test workers and every process they start inherit TMPDIR, and so does
  // this run's own moto, started after it. KEEP_TEST_TMP=1 keeps it.
  runTmp = mkdtempSync(join(tmpdir(), 'vectora-tests-'));
  process.env.TMPDIR = runTmp;
  server = await startMotoServer({ venvDir: motoVenvDir(REPO_ROOT), log: (line) => process.stderr.write(`${line}\n`) });
  project.provide('motoEndpoint', server.endpoint);
  process.env.VECTORA_TEST_AWS_ENDPOINT = server.endpoint;
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (runTmp && !process.env.KEEP_TEST_TMP) rmSync(runTmp, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
