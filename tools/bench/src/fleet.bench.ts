import { startAwsProxy, type AwsProxy } from '../../../packages/local-aws/src/proxy/aws-proxy';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NxWorkspace } from '../../../tests/e2e/nx-workspace';
import type { BenchContext } from './benches';
import { seconds, startBenchEmulator } from './emulator';
import { printTable } from './print-table';
import { median } from './median';

const UNBATCHED_UP_TO = 45;
const PLUGINS_IN_PROCESS = { NX_ISOLATE_PLUGINS: 'false' };
const EDITED_LAYER = 'vectora-core';
const EDITED_LAYER_FILE = `layers/${EDITED_LAYER}/src/vectora_core/scoring.py`;

interface Timed {
  ms: number;
  reads: number;
  writes: number;
  updates: number;
  output: string;
}

/**
 * Issue-13 targets through the real `nx` CLI on a fresh workspace at fleet sizes (the sample app
 * alone, 45 and 200 projects: the sample plus copies of ingest-v2): a no-op
 * `run-many -t deploy` against the replay of the same workspace's cached `package` tasks (what Nx
 * needs anyway), measured alternately so both see the same machine load; how many batch processes
 * Nx starts for that no-op (it runs them one after another, each most of a second before our code);
 * packaging every project without the cache, batched and one process per task (a CI runner without
 * a remote cache); Nx's floor for any deploy executor: the same task graph run by a batch executor
 * that does nothing (what Nx alone costs: one process forked and its modules loaded, with no read and
 * no code of ours); and edit-to-deployed, a one-line edit in vectora-core until `nx affected -t deploy` has every
 * function on it on the new version. `FLEET_PROJECTS=7,45` and `FLEET_ROUNDS=3` choose other sizes
 * and rounds; `FLEET_UNBATCHED=0` skips the `--batch=false` runs.
 */
export async function fleetBench(ctx: BenchContext): Promise<void> {
  const sample = sampleApp();
  const projectCounts = numbersFromEnv('FLEET_PROJECTS') ?? (ctx.size === 'full' ? [sample.projects, 45, 200] : [sample.projects, 15]);
  const rounds = numbersFromEnv('FLEET_ROUNDS')?.[0] ?? (ctx.size === 'full' ? 3 : 1);
  const unbatchedUpTo = process.env.FLEET_UNBATCHED === '0' ? 0 : UNBATCHED_UP_TO;
  const tooSmall = projectCounts.find((projects) => projects < sample.projects);
  if (tooSmall !== undefined) throw new Error(`FLEET_PROJECTS: ${tooSmall} is fewer than the sample app's ${sample.projects} projects`);
  const emulator = await startBenchEmulator();
  // The whole bench takes longer than the proxy's default lifetime (made for tests); it still stops by itself.
  const proxy = await startAwsProxy({ target: emulator.moto.endpoint, maxLifetimeMs: 3 * 60 * 60_000 });
  const rows: string[][] = [];
  const noops = new Map<number, number>();
  const slopes: string[] = [];
  try {
    for (const projects of projectCounts) {
      const functions = projects - sample.layers;
      const ws = fleetWorkspace(`bench-fleet-${process.pid}-${projects}`, proxy.endpoint, functions);
      addFloorTarget(ws);
      ws.commit('floor target');
      const first = await timed(ws, proxy, ['run-many', '-t', 'deploy', '-c', 'local']);
      rows.push([String(projects), 'first deploy (creates everything)', seconds(first.ms), String(first.reads), String(first.writes), '']);
      // What a CI runner without a remote cache pays on every run: every project packaged again, as
      // batches (one process per batch) and, up to UNBATCHED_UP_TO, as one process per task.
      const repackage = ['run-many', '-t', 'package', '--skip-nx-cache', '--exclude-task-dependencies'];
      rows.push([String(projects), 'package everything, no cache', seconds((await timed(ws, proxy, repackage)).ms), '0', '0', '', '']);
      if (projects <= unbatchedUpTo) rows.push([String(projects), 'package everything, no cache, --batch=false', seconds((await timed(ws, proxy, [...repackage, '--batch=false'])).ms), '0', '0', '', '']);

      const replays: number[] = [];
      const noopRuns: number[] = [];
      const unbatchedRuns: number[] = [];
      const floorRuns: number[] = [];
      const inProcess = { replays: [] as number[], noops: [] as number[] };
      let noopCalls = { reads: 0, writes: 0 };
      for (let round = 0; round < rounds; round++) {
        replays.push((await timed(ws, proxy, ['run-many', '-t', 'package'])).ms);
        const noop = await timed(ws, proxy, ['run-many', '-t', 'deploy', '-c', 'local']);
        noopRuns.push(noop.ms);
        noopCalls = noop;
        floorRuns.push((await timed(ws, proxy, ['run-many', '-t', FLOOR_TARGET, '-c', 'local'])).ms);
        // Nx's plugin isolation (a worker process per plugin, on by default) costs every command the same;
        // measured without it too, as a workspace that sets NX_ISOLATE_PLUGINS=false runs.
        inProcess.replays.push((await timed(ws, proxy, ['run-many', '-t', 'package'], PLUGINS_IN_PROCESS)).ms);
        inProcess.noops.push((await timed(ws, proxy, ['run-many', '-t', 'deploy', '-c', 'local'], PLUGINS_IN_PROCESS)).ms);
        // One process per task, as before batching (the compiled plugin all the same); at 200 projects that
        // alone takes minutes a round, so it is measured up to 45.
        if (projects <= unbatchedUpTo) unbatchedRuns.push((await timed(ws, proxy, ['run-many', '-t', 'deploy', '-c', 'local', '--batch=false'])).ms);
      }
      // Counted in a run of its own: Nx's perf log (one line per batch run) is not part of the timed runs.
      const batches = batchProcesses((await timed(ws, proxy, ['run-many', '-t', 'deploy', '-c', 'local'], { NX_PERF_LOGGING: 'true' })).output);
      const floorBatches = batchProcesses((await timed(ws, proxy, ['run-many', '-t', FLOOR_TARGET, '-c', 'local'], { NX_PERF_LOGGING: 'true' })).output);
      const replay = median(replays);
      const noop = median(noopRuns);
      const floor = median(floorRuns);
      const unbatched = unbatchedRuns.length > 0 ? median(unbatchedRuns) : undefined;
      noops.set(projects, noop);
      rows.push([String(projects), 'replay of cached package tasks', seconds(replay), '0', '0', '1.00', '']);
      rows.push([String(projects), 'no-op deploy', seconds(noop), String(noopCalls.reads), String(noopCalls.writes), (noop / replay).toFixed(2), String(batches)]);
      rows.push([String(projects), "Nx's floor: an executor that does nothing", seconds(floor), '0', '0', (floor / replay).toFixed(2), String(floorBatches)]);
      const inProcessReplay = median(inProcess.replays);
      const inProcessNoop = median(inProcess.noops);
      rows.push([String(projects), 'replay, NX_ISOLATE_PLUGINS=false', seconds(inProcessReplay), '0', '0', '1.00', '']);
      rows.push([String(projects), 'no-op deploy, NX_ISOLATE_PLUGINS=false', seconds(inProcessNoop), String(noopCalls.reads), String(noopCalls.writes), (inProcessNoop / inProcessReplay).toFixed(2), '']);
      if (unbatched !== undefined) rows.push([String(projects), 'no-op deploy, --batch=false (a process per task)', seconds(unbatched), String(noopCalls.reads), String(noopCalls.writes), (unbatched / replay).toFixed(2), '0']);
      slopes.push(`${projects} projects: ${((noop - replay) / projects).toFixed(0)} ms per project above the replay, ${((noop - floor) / projects).toFixed(0)} ms above Nx's floor`);

      ws.write(EDITED_LAYER_FILE, `${ws.read(EDITED_LAYER_FILE)}\n# edited by the fleet bench\n`);
      const repointed = functions - sample.functionsOffEditedLayer;
      const edit = await timed(ws, proxy, ['affected', '-t', 'deploy', '-c', 'local']);
      if (edit.updates !== repointed) throw new Error(`edit-to-deployed moved ${edit.updates} of the ${repointed} functions on ${EDITED_LAYER}:\n${edit.output}`);
      ws.commit('bench edit');
      rows.push([String(projects), `edit-to-deployed (${repointed} functions repointed)`, seconds(edit.ms), String(edit.reads), String(edit.writes), '', '']);
      // Each size's rows as soon as they are known: a later size failing must not lose them.
      process.stdout.write(`fleet ${projects}: ${rows.filter((row) => row[0] === String(projects)).map((row) => `${row[1]} ${row[2]} s${row[5] ? ` (${row[5]}x replay)` : ''}${row[6] ? `, ${row[6]} batch processes` : ''}`).join('; ')}\n`);
    }

    process.stdout.write('\nFleet: real nx CLI (daemon off, static output, as in CI) on fresh workspaces, moto behind a recording proxy; medians of alternated runs\n');
    printTable(
      [{ header: 'projects', align: 'right' }, { header: 'run' }, { header: 'seconds', align: 'right' }, { header: 'reads', align: 'right' }, { header: 'writes', align: 'right' }, { header: 'x replay', align: 'right' }, { header: 'batches', align: 'right' }],
      rows,
    );
    process.stdout.write(`no-op cost above Nx's own replay: ${slopes.join('; ')}\n`);
    const [smallest, ...larger] = projectCounts;
    for (const projects of larger) process.stdout.write(`no-op ${projects} projects / no-op ${smallest} projects: ${(noops.get(projects)! / noops.get(smallest)!).toFixed(2)}x\n`);
  } finally {
    await proxy.stop();
    await emulator.stop();
  }
}

/** The sample app's size, read from the repo: layers, and projects; and its functions not on the edited layer. */
function sampleApp(): { layers: number; projects: number; functionsOffEditedLayer: number } {
  const repo = join(__dirname, '..', '..', '..');
  const layers = readdirSync(join(repo, 'layers')).length;
  const functions = readdirSync(join(repo, 'lambdas'));
  const onEdited = functions.filter((fn) => (JSON.parse(readFileSync(join(repo, 'lambdas', fn, 'function.json'), 'utf8')).layers ?? []).includes(EDITED_LAYER));
  return { layers, projects: layers + functions.length, functionsOffEditedLayer: functions.length - onEdited.length };
}

/** `NAME=7,45`: the numbers, or undefined when unset. */
function numbersFromEnv(name: string): number[] | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const numbers = value.split(',').map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${name} must be positive whole numbers separated by commas, not ${value}`);
  return numbers;
}

/** How many batch processes a run with NX_PERF_LOGGING=true started: Nx logs one measure per batch run. */
function batchProcesses(output: string): number {
  return output.split('\n').filter((line) => line.includes("'TaskOrchestrator-run-batch'")).length;
}

const FLOOR_TARGET = 'bench-floor';

/**
 * Adds to every project a target with deploy's task graph (layers after their package, functions after
 * theirs and their layers') run by a batch executor that returns success at once: the least any
 * executor costs in a no-op run, as Nx runs executors in a forked process and replays only cached
 * tasks in its own. The executor is a plain local package, outside the npm workspaces' folders.
 */
function addFloorTarget(ws: NxWorkspace): void {
  const dir = FLOOR_TARGET;
  ws.write(`${dir}/package.json`, `${JSON.stringify({ name: FLOOR_TARGET, version: '0.0.0', private: true, executors: './executors.json' })}\n`);
  ws.write(`${dir}/executors.json`, `${JSON.stringify({ executors: { floor: { implementation: './floor.js', batchImplementation: './floor.js#batch', schema: './schema.json', preferBatch: true, description: 'Does nothing' } } })}\n`);
  ws.write(`${dir}/schema.json`, `${JSON.stringify({ type: 'object', properties: {} })}\n`);
  ws.write(`${dir}/floor.js`, 'exports.default = async () => ({ success: true });\nexports.batch = async (taskGraph) => Object.fromEntries(Object.keys(taskGraph.tasks).map((id) => [id, { success: true, terminalOutput: "" }]));\n');
  for (const kind of ['layers', 'lambdas'] as const) {
    for (const project of readdirSync(join(ws.root, kind), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)) {
      const dependsOn = kind === 'layers' ? ['package'] : ['package', `^${FLOOR_TARGET}`];
      ws.write(`${kind}/${project}/project.json`, `${JSON.stringify({ name: project, targets: { [FLOOR_TARGET]: { executor: `./${dir}:floor`, dependsOn, cache: false, configurations: { local: {} } } } })}\n`);
    }
  }
}

/** The sample app plus copies of ingest-v2 up to `functions`, committed, in a fresh git repository. */
export function fleetWorkspace(prefix: string, endpoint: string, functions: number): NxWorkspace {
  const ws = new NxWorkspace(endpoint, prefix);
  const template = JSON.parse(ws.read('lambdas/ingest-v2/function.json'));
  const handler = ws.read('lambdas/ingest-v2/handler.py');
  const copies = functions - readdirSync(join(ws.root, 'lambdas')).length;
  if (copies <= 0) return ws;
  for (let i = 0; i < copies; i++) {
    const name = `ingest-copy-${String(i).padStart(3, '0')}`;
    ws.write(`lambdas/${name}/function.json`, `${JSON.stringify(template, null, 2)}\n`);
    ws.write(`lambdas/${name}/handler.py`, handler);
  }
  ws.commit('fleet');
  return ws;
}

async function timed(ws: NxWorkspace, proxy: AwsProxy, args: string[], env: Record<string, string> = {}): Promise<Timed> {
  const before = proxy.requests.length;
  const started = performance.now();
  const run = await ws.nx(args, env);
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`nx ${args.join(' ')} failed:\n${run.output}`);
  const requests = proxy.requests.slice(before);
  const writes = requests.filter((r) => r.write);
  return { ms, reads: requests.length - writes.length, writes: writes.length, updates: writes.filter((r) => r.operation === 'UpdateFunctionConfiguration').length, output: run.output };
}

