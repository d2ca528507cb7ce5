#!/usr/bin/env node
// `npm run pack`: the installable tarballs of the shipped packages, in dist/packages/, the way a team
// installs them into its own workspace (`npm install ./vendor/vectora-*.tgz`). Each package's `files`
// decides what ships.
//
// What ships is the build's own output (packages/*/dist, from `tsc -b`: what this repo's nx runs and
// e2e tests load), copied into a staging folder: only the files whose source still exists (tsc never
// removes the outputs of a deleted source), without source maps and the comments pointing at them (the
// maps name sources that do not ship). Compiling each package afresh instead cost about 15 s of CPU per
// pack, three tsc processes each loading the AWS SDK's types, for the same JavaScript and declarations.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['lambda-deploy', 'local-aws', 'nx-lambda'];
// Beside the package's sources, what a package may ship (each package's `files` picks from them).
const PACKAGE_FILES = ['package.json', 'executors.json', 'generators.json', 'bin'];
const destination = join(root, 'dist', 'packages');

// The build must be current (a no-op when it is): its output is what ships.
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
    copyBuilt(join(from, 'src'), join(from, 'dist'), join(to, 'dist'));
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

/** Each built file whose source is still in `src` (assets are copied by the build under their own name). */
function copyBuilt(src, built, to) {
  for (const entry of readdirSync(built, { withFileTypes: true })) {
    const path = join(built, entry.name);
    if (entry.isDirectory()) {
      copyBuilt(join(src, entry.name), path, join(to, entry.name));
      continue;
    }
    if (!sourcesOf(entry.name).some((source) => existsSync(join(src, source)))) continue;
    mkdirSync(to, { recursive: true });
    if (/\.(js|d\.ts)$/.test(entry.name)) writeFileSync(join(to, entry.name), readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n'));
    else cpSync(path, join(to, entry.name));
  }
}

/** The source files a built file may come from; none for source maps and tsc's build state, which never ship. */
function sourcesOf(name) {
  if (name.endsWith('.map') || name.endsWith('.tsbuildinfo')) return [];
  if (name.endsWith('.d.ts')) return [name, name.replace(/\.d\.ts$/, '.ts')];
  if (name.endsWith('.js')) return [name.replace(/\.js$/, '.ts'), name];
  return [name];
}
