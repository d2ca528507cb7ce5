#!/usr/bin/env node
// `npm run pack`: the installable tarballs of the shipped packages, in dist/packages/, the way a team
// installs them into its own workspace (`npm install ./vectora-*.tgz`). Each package's `files` decides
// what ships; this script only makes sure dist/ is current and holds nothing a deleted source left behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGES = ['lambda-deploy', 'local-aws', 'nx-lambda'];
const destination = join(root, 'dist', 'packages');

// Without its build info, tsc -b emits every file again: a dist/ file edited by hand (or by a half
// finished build) cannot ship. Files are rewritten in place, so a concurrent nx run never misses one.
for (const name of PACKAGES) rmSync(join(root, 'packages', name, 'dist', 'tsconfig.build.tsbuildinfo'), { force: true });
execFileSync(process.execPath, [join(root, 'scripts', 'build-packages.mjs')], { stdio: 'inherit' });
for (const name of PACKAGES) pruneStaleOutputs(join(root, 'packages', name));

mkdirSync(destination, { recursive: true });
for (const file of readdirSync(destination)) if (/^vectora-.*\.tgz$/.test(file)) rmSync(join(destination, file));
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
const workspaces = PACKAGES.flatMap((name) => ['--workspace', `packages/${name}`]);
const packed = JSON.parse(
  execFileSync(npm[0], [...npm.slice(1), 'pack', ...workspaces, '--pack-destination', destination, '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
);
for (const tarball of packed) console.log(`packed ${relative(root, join(destination, tarball.filename))} (${tarball.entryCount} files, ${(tarball.size / 1024).toFixed(0)} kB)`);

/**
 * tsc -b never deletes: a source file that was removed or renamed leaves its .js/.d.ts in dist/, which
 * `files` would ship. Drops compiled outputs with no source under src/ (assets are copied, never orphaned
 * the same way, but are checked too).
 */
function pruneStaleOutputs(pkg) {
  const dist = join(pkg, 'dist');
  if (!existsSync(dist)) return;
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
        if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
        continue;
      }
      const rel = relative(dist, path);
      if (rel.endsWith('.tsbuildinfo')) continue;
      const stem = rel.replace(/(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/, '');
      const sources = stem === rel ? [rel] : [`${stem}.ts`, `${stem}.d.ts`];
      if (!sources.some((source) => existsSync(join(pkg, 'src', source)))) rmSync(path);
    }
  };
  walk(dist);
}
