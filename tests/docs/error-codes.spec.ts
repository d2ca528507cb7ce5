import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every error code the tool can print: `new DeployError('CODE'`, `code: 'CODE'`, generator `problems.add('CODE'`. */
function errorCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of [...sources(join(ROOT, 'packages')), ...sources(join(ROOT, 'tools'))]) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:DeployError\(\s*|\bcode: |problems\.add\(\s*)'([A-Z][A-Z0-9_]+)'/g)) codes.set(match[1], file.slice(ROOT.length + 1));
  }
  return codes;
}

describe('the README troubleshooting section', () => {
  it('explains every error code the tool can print', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## Migrating'));
    const codes = errorCodes();
    expect(codes.size).toBeGreaterThan(30);
    const missing = [...codes].filter(([code]) => !section.includes(`\`${code}\``)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });
});
