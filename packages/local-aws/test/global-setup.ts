import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMotoServer, type MotoServer } from '../src/moto-server';
import { motoVenvDir } from '../src/venv';

/** This repository: its venv (or VECTORA_LOCAL_AWS_VENV's) serves every test's moto. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

let server: MotoServer | undefined;

/** One moto for the whole run, on a free port; installs it first if this machine has never run it. */
export async function setup(project: TestProject): Promise<void> {
  server = await startMotoServer({ venvDir: motoVenvDir(REPO_ROOT), log: (line) => process.stderr.write(`${line}\n`) });
  project.provide('motoEndpoint', server.endpoint);
  process.env.VECTORA_TEST_AWS_ENDPOINT = server.endpoint;
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
