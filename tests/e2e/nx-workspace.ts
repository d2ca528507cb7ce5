import { execFileSync } from 'node:child_process';
import { GetFunctionCommand, LambdaClient, ListLayerVersionsCommand, type LayerVersionsListItem } from '@aws-sdk/client-lambda';
import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

import { localAwsClientConfig } from '../../packages/local-aws/src/local-credentials';
import { startMotoServer, type MotoServer } from '../../packages/local-aws/src/moto-server';
import { startAwsProxy, type AwsProxy } from '../../packages/local-aws/src/proxy/aws-proxy';
import { motoVenvDir } from '../../packages/local-aws/src/venv';

export const REPO_ROOT = join(__dirname, '..', '..');
/**
 * The sample app every workspace starts as (layers/, lambdas/, VERSION): two Python layers and three
 * Python functions that stack both (vectora-core first), and a Node layer with one TypeScript function on it.
 */
export const PYTHON_LAYERS = ['vectora-core', 'common-deps'];
export const PYTHON_FUNCTIONS = ['ingest-v2', 'normalize-score-v2', 'newsletter-v2'];
export const NODE_LAYER = 'node-deps';
export const NODE_FUNCTION = 'digest-v2';
export const SAMPLE_LAYERS = [...PYTHON_LAYERS, NODE_LAYER];
export const SAMPLE_FUNCTIONS = [...PYTHON_FUNCTIONS, NODE_FUNCTION];
export const SAMPLE_PROJECTS = [...SAMPLE_LAYERS, ...SAMPLE_FUNCTIONS];
// The tool itself comes from node_modules (compiled, as a user installs it), not from copied sources.
const COPIED = ['package.json', 'nx.json', 'VERSION', 'layers', 'lambdas'];

/**
 * When a test calls one `nx` run hung and kills it (its whole process group). Not a speed budget: the
 * tests themselves have no timeout (vitest.config.mts), and a loaded machine only stretches a run's CPU
 * work, seconds when idle. What may legitimately keep a working run going for long are the waits the
 * tool bounds itself: a publish lock is waited for at most 10 minutes (apply/publish-lock.ts), a
 * function update at most 5 (aws/wait-for-update.ts), retries at most 90 s per call (aws/retry.ts). A
 * run still going after twice all of those together has stopped making progress, whatever the load.
 */
export const NX_RUN_HANG_MS = 2 * (10 + 5 + 1.5) * 60_000;

/**
 * Under vitest, Nx loads the workspace's plugins into its own process (NX_ISOLATE_PLUGINS=false)
 * rather than starting a worker process per plugin, four of them per command here: about 0.9 s of a
 * 2-core machine on every `nx` the tests run. Tasks still run as they do for users (forked, batched);
 * the installed-tool test (install.e2e.spec.ts) and the benches keep Nx's default, isolated plugins.
 */
export const NX_TEST_ENV: Record<string, string> = process.env.VITEST ? { NX_ISOLATE_PLUGINS: 'false' } : {};

/**
 * Every e2e workspace is, to Nx, a checkout of one repository: the same git remote. Nx 23 gives a
 * repository's checkouts one cache and task database (under ~/.nx/<repository id>), so a workspace
 * whose nx.json and sources are the sample app's replays the pip installs, builds and zips another
 * one made, as a team's clones do, instead of each one paying for them again. Under vitest, nx runs
 * get a HOME of the test run's own (in its TMPDIR, removed at the end), so nothing of a run reaches
 * the user's ~/.nx or outlives it; pip and npm keep the user's caches and settings.
 */
const SHARED_REMOTE = 'https://example.invalid/vectora/e2e-sample-app.git';

function sharedNxHome(): Record<string, string> {
  if (!process.env.VITEST) return {};
  const home = homedir();
  const unlessSet = (name: string, value: string) => (process.env[name] ? {} : { [name]: value });
  return {
    HOME: join(tmpdir(), 'e2e-nx-home'),
    ...unlessSet('PIP_CACHE_DIR', join(process.env.XDG_CACHE_HOME ?? join(home, '.cache'), 'pip')),
    ...unlessSet('XDG_CONFIG_HOME', join(home, '.config')),
    ...unlessSet('npm_config_cache', join(home, '.npm')),
    ...unlessSet('npm_config_userconfig', join(home, '.npmrc')),
  };
}

/** A test file's own emulator: moto, and the recording (fault-injecting) proxy its workspaces talk to. */
export interface OwnAws {
  moto: MotoServer;
  proxy: AwsProxy;
}

/**
 * A moto of the test file's own behind a proxy, for workspaces that keep the sample app's names (no
 * prefix of their own): two files deploying `vectora-inbox-ingest-v2-local` at once must not meet.
 * The caller ends both with stopOwnAws; a proxy that fails to start stops its moto first.
 */
export async function startOwnAws(): Promise<OwnAws> {
  const moto = await startMotoServer({ venvDir: motoVenvDir(REPO_ROOT) });
  try {
    return { moto, proxy: await startAwsProxy({ target: moto.endpoint }) };
  } catch (error) {
    await moto.stop();
    throw error;
  }
}

/** Stops what startOwnAws started; either may be missing when a beforeAll failed part way. */
export async function stopOwnAws(aws: Partial<OwnAws> | undefined): Promise<void> {
  await aws?.proxy?.stop();
  await aws?.moto?.stop();
}

export interface NxResult {
  status: number;
  output: string;
}

/**
 * A throwaway git repository holding the sample app and this repo's plugin, with the repo's
 * node_modules linked in: the real `nx` CLI runs there exactly as a user's would. Without a prefix it
 * keeps the sample app's nx.json, names and all, and shares Nx's cache with the other such workspaces
 * (it needs a moto of its own, startOwnAws); with one, its AWS names and buckets take that prefix,
 * so several workspaces can share one moto, but its nx.json, hence every task's hash, is its own.
 */
export class NxWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'e2e-ws-'));
  readonly prefix: string;

  constructor(
    private readonly awsEndpoint: string,
    prefix?: string,
  ) {
    for (const part of COPIED) {
      cpSync(join(REPO_ROOT, part), join(this.root, part), { recursive: true, filter: (src) => !/\/(node_modules|dist|\.nx|\.local-aws)(\/|$)/.test(src) });
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(this.root, 'node_modules'));
    const nxJson = JSON.parse(readFileSync(join(this.root, 'nx.json'), 'utf8'));
    const plugin = nxJson.plugins.find((p: { plugin: string }) => p.plugin === '@vectora/nx-lambda');
    if (prefix !== undefined) {
      plugin.options.namePrefix = prefix;
      for (const [name, env] of Object.entries<Record<string, unknown>>(plugin.options.environments)) env.artifactBucket = `${prefix}-artifacts-${name}`;
      writeFileSync(join(this.root, 'nx.json'), `${JSON.stringify(nxJson, null, 2)}\n`);
    }
    this.prefix = plugin.options.namePrefix;
    this.git('init', '-q', '-b', 'main');
    this.git('remote', 'add', 'origin', SHARED_REMOTE);
    this.commit('sample app');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@test', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@test' } }).toString();
  }

  commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
  }

  /**
   * Back to the last commit: tracked files restored, untracked ones removed, but Nx's cache and the
   * outputs it restores (`.nx`, `dist`) kept, so the next run replays what did not change.
   */
  restore(): void {
    this.git('checkout', '-q', '--', '.');
    this.git('clean', '-fdq', '-e', '.nx', '-e', 'dist', '-e', '.local-aws');
  }

  /** The AWS name the tool gives a project in an environment. */
  awsName(project: string, environment = 'local'): string {
    return `${this.prefix}-${project}-${environment}`;
  }

  write(path: string, content: string): void {
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    writeFileSync(join(this.root, path), content);
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  /**
   * Runs `nx` with static output (every task's log) against the test endpoint, never a real account.
   * Asynchronous on purpose: the recording proxy lives in this process and must keep serving.
   */
  async nx(args: string[], env: Record<string, string> = {}): Promise<NxResult> {
    const result = await this.spawnNx(args, env);
    const hung = result.durationMs >= NX_RUN_HANG_MS ? `\nnx ${args.join(' ')}: killed as hung, still running after ${NX_RUN_HANG_MS / 60_000} min (NX_RUN_HANG_MS)` : '';
    // Nx colours its output when CI is set, terminal or not: tests compare the text only.
    return { status: result.exitCode ?? -1, output: stripVTControlCharacters(result.all ?? '') + hung };
  }

  /**
   * Starts `nx` in its own process group (its pid is the group's id), so a test can kill it and every
   * task it forked; so does the hang bound, as killing nx alone would leave its tasks running.
   */
  spawnNx(args: string[], env: Record<string, string> = {}) {
    const child = execa(join(this.root, 'node_modules', '.bin', 'nx'), [...args, '--output-style=static'], {
      cwd: this.root,
      reject: false,
      all: true,
      detached: true,
      extendEnv: true,
      env: {
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        AWS_ENDPOINT_URL: this.awsEndpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_PROFILE: '',
        ...sharedNxHome(),
        ...NX_TEST_ENV,
        ...env,
      },
    });
    const hang = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone: it finished as the bound passed.
      }
    }, NX_RUN_HANG_MS);
    void child.finally(() => clearTimeout(hang));
    return child;
  }
}

/** The `[project] plan <kind>: <reason>` lines of a run, sorted: what the run intends to write. */
export function planLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /^\[[\w-]+\] plan /.test(line))
    .sort();
}

/** Reads the emulator directly, not through the tool, to check what a run left behind. */
export class EmulatorLambda {
  readonly client: LambdaClient;

  constructor(endpoint: string) {
    this.client = new LambdaClient(localAwsClientConfig(endpoint));
  }

  /** A function's layer version ARNs, in order. */
  async layersOf(functionName: string): Promise<string[]> {
    return ((await this.client.send(new GetFunctionCommand({ FunctionName: functionName }))).Configuration?.Layers ?? []).map((layer) => layer.Arn!);
  }

  async versionsOf(layerName: string): Promise<LayerVersionsListItem[]> {
    return (await this.client.send(new ListLayerVersionsCommand({ LayerName: layerName }))).LayerVersions ?? [];
  }
}

/**
 * The names inside a zip, and one member's text when asked, read by Python's zipfile (not by our
 * writer), so a test checks what any unzip tool would see.
 */
export function readZip(zipPath: string, member?: string): { names: string[]; text?: string } {
  const script = 'import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); m=sys.argv[2:]; print(json.dumps({"names": z.namelist(), "text": z.read(m[0]).decode() if m else None}))';
  const read = JSON.parse(execFileSync('python3', ['-c', script, zipPath, ...(member ? [member] : [])]).toString());
  return { names: read.names, ...(member ? { text: read.text } : {}) };
}

/** Whether Nx replayed `project:target` from its cache (its own marker line; a replay repeats the task's log). */
export function replayedFromCache(output: string, project: string, target: string): boolean {
  return new RegExp(`nx run ${project}:${target} +\\[(local cache|existing outputs match the cache, left as is)\\]`).test(output);
}
