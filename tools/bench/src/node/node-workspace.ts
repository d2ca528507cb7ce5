import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runMeasured } from '../packaging/measure-process';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
/** package.json + package-lock.json of the bench layer: five pure-JS packages, pinned. */
export const LAYER_FIXTURE = join(__dirname, 'fixture');
export const LAYER_PACKAGES = ['dayjs', 'lodash', 'ms', 'uuid', 'zod'];

export interface NxStepRun {
  /** The whole `nx run` process: Nx start-up, graph, the executor, Nx's own bookkeeping. */
  seconds: number;
  /** What the executor logs for its own step, 0.001 s resolution (ms) or 0.1 s. */
  engineSeconds: number;
}

/**
 * A throwaway Nx workspace with this repo's nx.json and node_modules (the compiled plugin, as a user
 * installs it): one Node layer (LAYER_FIXTURE's dependencies) and one CommonJS TypeScript function on
 * it that inlines `modules` generated modules and archiver (a real CommonJS package tree from this
 * repo's node_modules) and leaves the layer's packages out.
 */
export class NodeBenchWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'bench-node-'));
  readonly functionDir = join(this.root, 'lambdas', 'digest');

  constructor(modules: number) {
    for (const file of ['package.json', 'nx.json']) cpSync(join(REPO_ROOT, file), join(this.root, file));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(this.root, 'node_modules'));
    this.write('VERSION', 'node-deps=1.0.0\n');
    this.write('layers/node-deps/layer.json', JSON.stringify({ runtimes: ['nodejs22.x'], dependencies: 'package.json' }));
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(LAYER_FIXTURE, file), join(this.root, 'layers', 'node-deps', file));
    this.write('lambdas/digest/function.json', JSON.stringify({ runtime: 'nodejs22.x', handler: 'src/handler.handler', layers: ['node-deps'] }));
    for (let i = 0; i < modules; i++) this.write(`lambdas/digest/src/generated/m${i}.ts`, generatedModule(i));
    this.write('lambdas/digest/src/generated/index.ts', Array.from({ length: modules }, (_, i) => `export * from './m${i}';\n`).join(''));
    this.write(
      'lambdas/digest/src/handler.ts',
      [
        "import archiver from 'archiver';",
        "import chunk from 'lodash/chunk';",
        "import dayjs from 'dayjs';",
        "import { z } from 'zod';",
        "import * as generated from './generated';",
        'const Event = z.object({ items: z.array(z.number()) });',
        'export const handler = async (raw: unknown) => {',
        '  const event = Event.parse(raw);',
        '  const scores = Object.values(generated).filter((f): f is (n: number) => number => typeof f === "function").map((f) => f(event.items.length));',
        '  return { at: dayjs().toISOString(), pages: chunk(event.items, 10).length, zip: typeof archiver, scores: scores.length };',
        '};',
      ].join('\n'),
    );
  }

  write(path: string, content: string): void {
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    writeFileSync(join(this.root, path), content);
  }

  /** `nx run <target> --skip-nx-cache --exclude-task-dependencies`, timed as a process; the executor's own time from its log line. */
  async nxStep(target: string, logged: RegExp): Promise<NxStepRun> {
    const measure = await this.nx(['run', target, '--skip-nx-cache', '--exclude-task-dependencies']);
    const found = logged.exec(measure.stdout);
    if (!found) throw new Error(`no ${logged} line from nx run ${target}:\n${measure.stdout}`);
    return { seconds: measure.wallSeconds, engineSeconds: Number(found[1]) / (found[2] === 'ms' ? 1000 : 1) };
  }

  /** The layer's install and build, once: the function's bundle resolves the layer's packages against the built layer. */
  async buildLayer(): Promise<void> {
    await this.nx(['run', 'node-deps:build']);
  }

  private nx(args: string[]) {
    const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' };
    return runMeasured(join(this.root, 'node_modules', '.bin', 'nx'), [...args, '--output-style=static'], this.root, env);
  }

  install(): Promise<NxStepRun> {
    return this.nxStep('node-deps:install', /\[node-deps\] install -> .*\((\d+(?:\.\d+)?)(ms|s)\)/);
  }

  packageFunction(): Promise<NxStepRun> {
    return this.nxStep('digest:package', /\[digest\] package sha256:.*\((\d+(?:\.\d+)?)(ms|s)\)/);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A module of ordinary application code (~2 KB): a few functions and a class, seeded by its index. */
function generatedModule(i: number): string {
  const body = Array.from({ length: 6 }, (_, j) => `  const v${j} = (n * ${i + j + 3}) % ${97 + j};\n  if (v${j} > ${j * 7}) total += v${j} * ${j + 1};\n`).join('');
  return [
    `export function score${i}(n: number): number {`,
    '  let total = 0;',
    body,
    '  return total;',
    '}',
    `export class Item${i} {`,
    `  constructor(readonly id: string, readonly weight: number) {}`,
    `  describe(): string { return \`item ${i} \${this.id} weighs \${this.weight.toFixed(2)}\`; }`,
    `  heavier(other: Item${i}): boolean { return this.weight > other.weight; }`,
    '}',
    `export const label${i} = (names: string[]): string => names.map((name, k) => \`\${k}:\${name.toUpperCase()}\`).join(', ');`,
    '',
  ].join('\n');
}
