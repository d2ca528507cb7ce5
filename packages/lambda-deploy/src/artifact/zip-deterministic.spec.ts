import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFiles } from './collect-files';
import { writeDeterministicZip } from './zip-deterministic';

const tree: Record<string, string> = {
  'pkg/__init__.py': 'from .core import run\n',
  'pkg/core.py': 'def run():\n    return "x" * 100\n'.repeat(50),
  'pkg/data/table.bin': 'binary\u0000data'.repeat(1000),
  'bin/tool': '#!/bin/sh\necho hi\n',
  'Zeta.py': 'z = 1\n',
  'alpha.py': 'a = 1\n',
  'pkg/__pycache__/core.cpython-312.pyc': 'cache',
  'pkg/tests/test_core.py': 'def test(): pass\n',
  'notes.md': '# notes\n',
};

/** The same content written as a different checkout would: other mtimes, other umask. */
function makeTree(variant: number): string {
  const root = mkdtempSync(join(tmpdir(), `zip-${variant}-`));
  for (const [path, content] of Object.entries(tree)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    chmodSync(file, path === 'bin/tool' ? 0o755 : variant === 1 ? 0o644 : 0o600);
    const when = variant === 1 ? new Date('2020-05-01T10:00:00Z') : new Date('2026-11-25T03:00:00Z');
    utimesSync(file, when, when);
  }
  return root;
}

async function zipTree(root: string): Promise<{ bytes: Buffer; file: string; manifest: Awaited<ReturnType<typeof writeDeterministicZip>> }> {
  const file = join(mkdtempSync(join(tmpdir(), 'zip-out-')), 'out.zip');
  const manifest = await writeDeterministicZip(await collectFiles(root, { excludes: ['*.md'], label: 'test' }), file);
  return { bytes: readFileSync(file), file, manifest };
}

describe('writeDeterministicZip', () => {
  it('gives identical bytes for two checkouts with different mtimes and modes', async () => {
    const first = await zipTree(makeTree(1));
    const second = await zipTree(makeTree(2));
    expect(first.bytes.equals(second.bytes)).toBe(true);
  });

  it('records sha256 (hex and base64), sizes and file count of what it wrote', async () => {
    const { bytes, manifest } = await zipTree(makeTree(1));
    expect(manifest.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(manifest.sha256Base64).toBe(createHash('sha256').update(bytes).digest('base64'));
    expect(manifest.size).toBe(bytes.length);
    expect(manifest.files).toBe(6);
    expect(manifest.unzippedSize).toBe(['pkg/__init__.py', 'pkg/core.py', 'pkg/data/table.bin', 'bin/tool', 'Zeta.py', 'alpha.py'].reduce((sum, p) => sum + Buffer.byteLength(tree[p]), 0));
  });

  it('is read back by Python zipfile: sorted names, 1980 timestamps, 0644/0755, same content', async () => {
    const { file } = await zipTree(makeTree(2));
    const listing = execFileSync('python3', ['-c', `
import zipfile, sys
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for i in z.infolist():
    print(i.filename, oct(i.external_attr >> 16), i.date_time, len(i.extra))
print(z.read("pkg/core.py").decode().count("return"))
`, file]).toString().trim().split('\n');
    expect(listing).toEqual([
      "Zeta.py 0o100644 (1980, 1, 1, 0, 0, 0) 0",
      "alpha.py 0o100644 (1980, 1, 1, 0, 0, 0) 0",
      "bin/tool 0o100755 (1980, 1, 1, 0, 0, 0) 0",
      "pkg/__init__.py 0o100644 (1980, 1, 1, 0, 0, 0) 0",
      "pkg/core.py 0o100644 (1980, 1, 1, 0, 0, 0) 0",
      "pkg/data/table.bin 0o100644 (1980, 1, 1, 0, 0, 0) 0",
      '50',
    ]);
  });
});

describe('collectFiles', () => {
  it('leaves out caches, tests and excludes', async () => {
    const paths = (await collectFiles(makeTree(1), { excludes: ['*.md', 'pkg/data'], label: 'test' })).map((e) => e.path);
    expect(paths).toEqual(['Zeta.py', 'alpha.py', 'bin/tool', 'pkg/__init__.py', 'pkg/core.py']);
  });

  it('follows a symlink inside the project and refuses one escaping it, naming the path', async () => {
    const root = makeTree(1);
    symlinkSync(join(root, 'alpha.py'), join(root, 'alias.py'));
    expect((await collectFiles(root, { label: 'layers/x/layer.json' })).find((e) => e.path === 'alias.py')?.size).toBe(6);
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'nope');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'pkg', 'leak.txt'));
    await expect(collectFiles(root, { label: 'layers/x/layer.json' })).rejects.toMatchObject({
      code: 'SYMLINK_ESCAPES',
      message: expect.stringContaining('layers/x/layer.json: pkg/leak.txt is a symlink to'),
    });
  });
});
