import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { localAwsClientConfig } from '../../local-aws/src/local-credentials';
import { createAwsSession, type SessionOptions } from '../src/aws/clients';
import { emulatorBootstrap } from '../src/aws/bootstrap-emulator';
import type { WaitOptions } from '../src/aws/wait-for-update';
import { resolveEnvironment } from '../src/config/environment';
import { loadWorkspace } from '../src/config/workspace';
import type { DeployContext } from '../src/deploy/deploy-context';
import { packageFunction, packageLayer, buildLayer, installLayer, layerInstallKey } from '../src/package/package-projects';
import { EventLog, type StepEvent } from '../src/report/events';
import { SAMPLE_APP } from './fixtures/sample-app';

/**
 * Workspaces and deploy contexts against an emulator, for the engine's tests and the benchmarks
 * alike (no test-runner imports here).
 */

export interface TestContext extends DeployContext {
  events: StepEvent[];
}

export interface EmulatorContextOptions {
  prefix: string;
  endpoint: string;
  /** The environment's name (default `test`): two contexts with two names are two environments of one repo. */
  environment?: string;
  runId?: string;
  dryRun?: boolean;
  bucket?: string | null;
  createMissing?: boolean;
  session?: SessionOptions;
  concurrency?: number;
  wait?: WaitOptions;
}

/** A workspace in a temp folder: the given files, or a copy of the tests' sample app (layers/lambdas/VERSION). */
export function makeWorkspace(files?: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ws-'));
  if (!files) {
    for (const part of ['layers', 'lambdas', 'VERSION']) cpSync(join(SAMPLE_APP, part), join(root, part), { recursive: true });
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

/** Installs, builds and packages every layer and function, as the Nx build/package targets would. */
export async function packageAll(root: string): Promise<void> {
  const workspace = loadWorkspace(root);
  for (const layer of workspace.layers.values()) {
    if (layerInstallKey(layer)) await installLayer(root, layer, () => {});
    await buildLayer(root, layer);
    await packageLayer(root, layer);
  }
  for (const fn of workspace.functions.values()) await packageFunction(root, fn);
}

/** A DeployContext against an emulator, with the emulator environment's bucket and role made on demand. */
export function emulatorContext(root: string, opts: EmulatorContextOptions): TestContext {
  const name = opts.environment ?? 'test';
  const env = resolveEnvironment(
    { namePrefix: opts.prefix, environments: { [name]: { emulator: true, region: 'us-east-1', createMissingFunctions: opts.createMissing ?? true, ...(opts.bucket === null ? {} : { artifactBucket: opts.bucket ?? `${opts.prefix}-artifacts` }) } } },
    name,
    {},
  );
  const session = createAwsSession(env, { ...opts.session, readOnly: opts.dryRun, clientConfig: localAwsClientConfig(opts.endpoint) });
  const log = new EventLog();
  const emulator = emulatorBootstrap(session, `${opts.prefix}-role`);
  return {
    workspace: loadWorkspace(root),
    env,
    session,
    log,
    events: log.events,
    dryRun: opts.dryRun ?? false,
    runId: opts.runId,
    concurrency: opts.concurrency ?? 8,
    functionRole: emulator.functionRole,
    beforeUpload: emulator.beforeUpload,
    wait: opts.wait ?? { initialDelayMs: 20 },
  };
}

/** Files of a workspace with these layers and `functions` functions named fn-0.., each on every layer. */
export function fleetFiles(layers: string[], functions: number): Record<string, string> {
  const files: Record<string, string> = { VERSION: layers.map((l) => `${l}=1.0.0\n`).join('') };
  for (const layer of layers) {
    files[`layers/${layer}/layer.json`] = JSON.stringify({ sources: 'src' });
    files[`layers/${layer}/src/${layer.replace(/-/g, '_')}.py`] = 'REVISION = 0\n';
  }
  for (let i = 0; i < functions; i++) {
    files[`lambdas/fn-${i}/function.json`] = JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers });
    files[`lambdas/fn-${i}/handler.py`] = `def handler(event, context):\n    return ${i}\n`;
  }
  return files;
}

/** Each function's layers as `<layer name>:<version>`. */
export async function layersOf(ctx: DeployContext, project: string): Promise<string[]> {
  const name = `${ctx.env.namePrefix}-${project}-${ctx.env.name}`;
  return (await ctx.session.lambda.getFunction(name))!.layers.map((arn) => arn.split(':').slice(-2).join(':'));
}

/** One layer on two functions, fn-a and fn-b: the smallest repo with a cascade. */
export const ONE_LAYER_TWO_FUNCTIONS: Record<string, string> = {
  VERSION: 'core=1.0.0\n',
  'layers/core/layer.json': JSON.stringify({ sources: 'src' }),
  'layers/core/src/core.py': 'V = 1\n',
  'lambdas/fn-a/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['core'] }),
  'lambdas/fn-a/handler.py': 'def handler(e, c):\n    return 1\n',
  'lambdas/fn-b/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler', layers: ['core'] }),
  'lambdas/fn-b/handler.py': 'def handler(e, c):\n    return 2\n',
};
