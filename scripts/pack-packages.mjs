#!/usr/bin/env node
// `npm run pack`: the installable tarballs of the shipped packages, in dist/packages/, the way a team
// installs them into its own workspace (`npm install ./vendor/vectora-*.tgz`). Each package's `files`
// decides what ships.
//
// The JavaScript is compiled afresh into a staging folder, not taken from packages/*/dist: that dist/
// may hold outputs of deleted sources (tsc never removes them) or a hand edit, and rewriting it in place
// could hand a half-written file to an nx run of this repo going on at the same time.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['lambda-deploy', 'local-aws', 'nx-lambda'];
// Beside the package's sources, what a package may ship (each package's `files` picks from them).
const PACKAGE_FILES = ['package.json', 'executors.json', 'generators.json', 'bin'];
const destination = join(root, 'dist', 'packages');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// The plugin's declarations import the engine's: the workspace build must be current (a no-op when it is).
execFileSync(process.execPath, [join(root, 'scripts', 'build-packages.mjs')], { stdio: 'inherit' });

mkdirSync(join(root, 'dist'), { recursive: true });
// Its own folder per run: two packs at once (a test and a developer) never share a half-built one.
const staging = mkdtempSync(join(root, 'dist', 'pack-staging-'));
let packed;
try {
  for (const name of PACKAGES) {
    const from = join(root, 'packages', name);
    const to = join(staging, name);
    for (const file of PACKAGE_FILES) if (existsSync(join(from, file))) cpSync(join(from, file), join(to, file), { recursive: true });
    const noMaps = ['--sourceMap', 'false', '--declarationMap', 'false', '--composite', 'false', '--incremental', 'false'];
    execFileSync(process.execPath, [tsc, '-p', join(from, 'tsconfig.build.json'), '--outDir', join(to, 'dist'), ...noMaps], { stdio: 'inherit' });
    copyAssets(join(from, 'src'), join(to, 'dist'));
  }

  mkdirSync(destination, { recursive: true });
  for (const file of readdirSync(destination)) if (/^vectora-.*\.tgz$/.test(file)) rmSync(join(destination, file));
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  packed = JSON.parse(
    execFileSync(npm[0], [...npm.slice(1), 'pack', ...PACKAGES.map((name) => join(staging, name)), '--pack-destination', destination, '--json'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
} finally {
  rmSync(staging, { recursive: true, force: true });
}
for (const tarball of packed) console.log(`packed ${relative(root, join(destination, tarball.filename))} (${tarball.entryCount} files, ${(tarball.size / 1024).toFixed(0)} kB)`);

/** Executor schemas, generator templates and schema.d.ts files sit beside the JavaScript that reads them. */
function copyAssets(from, to) {
  for (const entry of readdirSync(from)) {
    const path = join(from, entry);
    if (statSync(path).isDirectory()) copyAssets(path, join(to, entry));
    else if (!path.endsWith('.ts') || path.endsWith('.d.ts')) cpSync(path, join(to, entry));
  }
}
