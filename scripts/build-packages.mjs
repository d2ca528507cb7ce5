#!/usr/bin/env node
// Compiles the shipped packages once (at install, and before the tests), so no Nx task transpiles
// TypeScript at start-up; then copies each package's non-TypeScript sources (executor schemas,
// generator templates, schema.d.ts) beside the JavaScript that reads them.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, statSync } from 'node:fs';
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
    else if (isAsset(path)) cpSync(path, join(to, entry));
  }
}
