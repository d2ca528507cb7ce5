import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import { localAwsClientConfig } from '../../../tools/local-aws/src/local-credentials';
import { createAwsSession, type SessionOptions } from '../src/aws/clients';
import { ensureEmulatorBucket, ensureEmulatorRole } from '../src/aws/bootstrap-emulator';
import { resolveEnvironment } from '../src/config/environment';
import { loadWorkspace } from '../src/config/workspace';
import type { DeployContext } from '../src/deploy/deploy-context';
import { packageFunction, packageLayer, buildLayer } from '../src/package/package-projects';
import { EventLog, type StepEvent } from '../src/report/events';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A workspace in a temp folder: the given files, or a copy of the sample app's layers/lambdas/VERSION. */
export function makeWorkspace(files?: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ws-'));
  if (!files) {
    for (const part of ['layers', 'lambdas', 'VERSION']) cpSync(join(REPO_ROOT, part), join(root, part), { recursive: true });
    return root;
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export function writeFile(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** Builds and packages every layer and function, as the Nx build/package targets would. */
export async function packageAll(root: string): Promise<void> {
  const workspace = loadWorkspace(root);
  for (const layer of workspace.layers.values()) {
    await buildLayer(root, layer, () => {});
    await packageLayer(root, layer);
  }
  for (const fn of workspace.functions.values()) await packageFunction(root, fn);
}

let counter = 0;
/** A name prefix no other test uses: tests share one moto, so isolation is by name. */
export function uniquePrefix(label: string): string {
  return `t${process.pid % 10000}-${label}-${counter++}`;
}

export interface TestContext extends DeployContext {
  events: StepEvent[];
}

/** A DeployContext against the test moto, with the emulator environment's bucket and role made on demand. */
export function testContext(root: string, opts: { prefix: string; runId?: string; dryRun?: boolean; bucket?: string | null; createMissing?: boolean; session?: SessionOptions; endpoint?: string }): TestContext {
  const env = resolveEnvironment(
    { namePrefix: opts.prefix, environments: { test: { emulator: true, region: 'us-east-1', createMissingFunctions: opts.createMissing ?? true, ...(opts.bucket === null ? {} : { artifactBucket: opts.bucket ?? `${opts.prefix}-artifacts` }) } } },
    'test',
    {},
  );
  const session = createAwsSession(env, { ...opts.session, readOnly: opts.dryRun, clientConfig: localAwsClientConfig(opts.endpoint ?? inject('motoEndpoint')) });
  const log = new EventLog();
  return {
    workspace: loadWorkspace(root),
    env,
    session,
    log,
    events: log.events,
    dryRun: opts.dryRun ?? false,
    runId: opts.runId,
    concurrency: 8,
    functionRole: () => ensureEmulatorRole(session.iam, `${opts.prefix}-role`),
    beforeUpload: (bucket) => ensureEmulatorBucket(session.s3, bucket),
    wait: { initialDelayMs: 20 },
  };
}

/** Writes other than the publish lock's own object (taken and released around every publish). */
export function contentWrites(ctx: DeployContext) {
  return ctx.session.recorder.writes().filter((call) => !call.target?.startsWith('locks/'));
}
