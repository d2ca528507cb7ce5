#!/usr/bin/env node
// Compiles the shipped packages once (at install, and before the tests), so no Nx task transpiles
// TypeScript at start-up; then copies each package's non-TypeScript sources (executor schemas,
// generator templates, schema.d.ts) beside the JavaScript that reads them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['lambda-deploy', 'local-aws', 'nx-lambda'];
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

execFileSync(process.execPath, [tsc, '-b', ...PACKAGES.map((p) => join(root, 'packages', p, 'tsconfig.build.json'))], { stdio: 'inherit' });

const isAsset = (path) => !path.endsWith('.ts') || path.endsWith('.d.ts');
for (const name of PACKAGES) {
  const src = join(root, 'packages', name, 'src');
  const dist = join(root, 'packages', name, 'dist');
  copyAssets(src, dist);
}

function copyAssets(from, to) {
  for (const entry of readdirSync(from)) {
    const path = join(from, entry);
    if (statSync(path).isDirectory()) copyAssets(path, join(to, entry));
    else if (isAsset(path)) copyIfChanged(path, join(to, entry));
  }
}

/**
 * Nx reads these files in every run, and a build may happen while one goes on (the installed-tool test
 * packs, hence builds, beside the other e2e tests; a developer rebuilds beside an nx run). Copied over
 * with cpSync on every build, a schema was seen missing for an instant (8-20 of ~120,000 looks at one
 * file during a build), and an nx run starting then failed with "Could not resolve schema". So an
 * unchanged file is left alone, and a changed one is written beside it and renamed over it: a reader
 * sees the old file or the new one, never none.
 */
function copyIfChanged(from, to) {
  const content = readFileSync(from);
  if (existsSync(to) && readFileSync(to).equals(content)) return;
  mkdirSync(dirname(to), { recursive: true });
  const temporary = `${to}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, to);
}
