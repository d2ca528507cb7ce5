import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasured } from './measure-process';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

export interface CliPackageRun {
  /** The whole `nx run` process: Nx start-up, graph, the executor, Nx's own bookkeeping. */
  seconds: number;
  /** What the executor itself reports for the package step (its log line), 0.1 s resolution. */
  engineSeconds: number;
  maxRssBytes: number;
}

/**
 * A throwaway Nx workspace with this repo's nx.json and node_modules (the compiled plugin, as a user
 * installs it) and one source-only layer per corpus. A corpus is put straight into the layer's build
 * output, so `package --exclude-task-dependencies` zips exactly that tree.
 */
export class PackagingWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'bench-nx-'));

  constructor(readonly layers: string[]) {
    for (const file of ['package.json', 'nx.json']) cpSync(join(REPO_ROOT, file), join(this.root, file));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(this.root, 'node_modules'));
    writeFileSync(join(this.root, 'VERSION'), layers.map((layer) => `${layer}=1.0.0\n`).join(''));
    for (const layer of layers) {
      mkdirSync(join(this.root, 'layers', layer, 'src'), { recursive: true });
      writeFileSync(join(this.root, 'layers', layer, 'layer.json'), JSON.stringify({ sources: 'src' }));
      writeFileSync(join(this.root, 'layers', layer, 'src', 'corpus.py'), '');
    }
  }

  /** The folder `package` zips: what `build` would have left. */
  buildDir(layer: string): string {
    return join(this.root, 'dist', 'layers', layer, 'build');
  }

  zipFile(layer: string): string {
    return join(this.root, 'dist', 'layers', layer, 'package', 'layer.zip');
  }

  /** `nx run <layer>:package --skip-nx-cache --exclude-task-dependencies`, timed as a process. */
  async package(layer: string): Promise<CliPackageRun> {
    const nx = join(this.root, 'node_modules', '.bin', 'nx');
    const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' };
    const measure = await runMeasured(nx, ['run', `${layer}:package`, '--skip-nx-cache', '--exclude-task-dependencies', '--output-style=static'], this.root, env);
    const logged = new RegExp(`\\[${layer}\\] package sha256:.*\\((\\d+(?:\\.\\d+)?)(ms|s)\\)`).exec(measure.stdout);
    if (!logged) throw new Error(`no package line from nx for ${layer}:\n${measure.stdout}`);
    const engineSeconds = Number(logged[1]) / (logged[2] === 'ms' ? 1000 : 1);
    return { seconds: measure.wallSeconds, engineSeconds, maxRssBytes: measure.maxRssBytes };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
