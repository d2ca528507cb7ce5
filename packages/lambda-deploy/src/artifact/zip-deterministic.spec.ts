import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { collectFiles } from './collect-files';
import type { PackLimits } from './deflate-ahead';
import { writeDeterministicZip } from './zip-deterministic';

const made: string[] = [];
// Some trees hold tens of MiB: leave nothing behind in the temp folder.
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

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
  const root = tempDir(`zip-${variant}-`);
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
  const file = join(tempDir('zip-out-'), 'out.zip');
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

/** Text that deflates and random bytes that do not, in one chunk (1 MiB) and across several. */
function makeMixedTree(): string {
  const root = tempDir('zip-mixed-');
  const files: Record<string, Buffer> = {
    'a/small.py': Buffer.from('import os\n'.repeat(200)),
    'a/small.npz': randomBytes(40_000),
    'b/exactly-one-chunk.so': Buffer.from('mov rax, rbx\n'.repeat(80_660)).subarray(0, 1 << 20),
    'b/large.so': Buffer.from('def f(x):\n    return x\n'.repeat(120_000)),
    'b/large.npz': randomBytes(2_500_000),
    'c/empty.py': Buffer.alloc(0),
    'c/tiny.txt': Buffer.from('x'),
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Each entry as Python's zipfile sees it: name, method (0 stored, 8 deflated), data-descriptor flag. */
function describeEntries(file: string): string[] {
  return execFileSync('python3', ['-c', `
import zipfile, sys
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for i in z.infolist():
    print(i.filename, i.compress_type, i.flag_bits & 8)
`, file]).toString().trim().split('\n');
}

/**
 * Bytes of Buffers still referenced: collects garbage first (V8 frees Buffers lazily, so without it
 * the figure mostly counts chunks already done with). --expose-gc set at run time serves new contexts.
 */
function liveArrayBufferBytes(): () => number {
  setFlagsFromString('--expose-gc');
  const collectGarbage = runInNewContext('gc') as () => void;
  return () => {
    collectGarbage();
    return process.memoryUsage().arrayBuffers;
  };
}

async function zipWith(root: string, limits: PackLimits): Promise<Buffer> {
  const file = join(tempDir('zip-out-'), 'out.zip');
  await writeDeterministicZip(await collectFiles(root, { label: 'test' }), file, { limits });
  return readFileSync(file);
}

describe('writeDeterministicZip, stored entries and parallel deflate', () => {
  const limits = {
    serial: { concurrency: 1, maxBytesAhead: 1 },
    wide: { concurrency: 8, maxBytesAhead: 64 << 20 },
    tight: { concurrency: 3, maxBytesAhead: 100_000 },
  };

  it('stores what deflate cannot shrink, with sizes in the local header, and deflates the rest behind a descriptor', async () => {
    const root = makeMixedTree();
    const file = join(tempDir('zip-out-'), 'out.zip');
    await writeDeterministicZip(await collectFiles(root, { label: 'test' }), file, { limits: limits.tight });
    expect(describeEntries(file)).toEqual(['a/small.npz 0 0', 'a/small.py 8 8', 'b/exactly-one-chunk.so 8 8', 'b/large.npz 0 0', 'b/large.so 8 8', 'c/empty.py 0 0', 'c/tiny.txt 0 0']);
    // The first entry, a/small.npz, is stored: its local header gives compressed and plain size.
    const bytes = readFileSync(file);
    expect([bytes.readUInt32LE(18), bytes.readUInt32LE(22)]).toEqual([40_000, 40_000]);
    execFileSync('unzip', ['-tq', file]);
    expect(execFileSync('unzip', ['-p', file, 'b/large.so'], { maxBuffer: 16 << 20 }).equals(readFileSync(join(root, 'b/large.so')))).toBe(true);
  });

  it('writes the same bytes whatever the concurrency and read-ahead cap', async () => {
    const root = makeMixedTree();
    const [first, ...others] = await Promise.all(Object.values(limits).map((l) => zipWith(root, l)));
    for (const other of others) expect(other.equals(first)).toBe(true);
  });

  it('writes a file larger than the read-ahead cap chunk by chunk, never held whole, even when it ends up stored', async () => {
    const root = tempDir('zip-big-');
    const expected = createHash('sha256');
    // Written a MiB at a time, so the fixture itself never sits in memory either.
    for (let i = 0; i < 48; i++) {
      const chunk = randomBytes(1 << 20);
      appendFileSync(join(root, 'weights.npz'), chunk);
      expected.update(chunk);
    }
    const file = join(tempDir('zip-out-'), 'out.zip');
    const liveBuffers = liveArrayBufferBytes();
    const before = liveBuffers();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, liveBuffers())), 5);
    try {
      await writeDeterministicZip(await collectFiles(root, { label: 'test' }), file, { limits: { concurrency: 4, maxBytesAhead: 4 << 20 } });
    } finally {
      clearInterval(sampler);
    }
    // Chunked: a few MiB in flight. Held whole it would be 48 MiB read plus 48 deflated.
    expect((peak - before) / 2 ** 20).toBeLessThan(16);
    expect(describeEntries(file)).toEqual(['weights.npz 0 0']);
    const unzipped = createHash('sha256').update(execFileSync('unzip', ['-p', file, 'weights.npz'], { maxBuffer: 64 << 20 }));
    expect(unzipped.digest('hex')).toBe(expected.digest('hex'));
  });

  it.each(['serial', 'wide'] as const)('fails with the read error when a file vanished after listing (%s limits)', async (name) => {
    const root = makeMixedTree();
    const entries = await collectFiles(root, { label: 'test' });
    rmSync(join(root, 'b/large.so'));
    const file = join(tempDir('zip-out-'), 'out.zip');
    await expect(writeDeterministicZip(entries, file, { limits: limits[name] })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    ['grew', 'a/small.py', 1],
    ['shrank', 'b/large.so', -1],
  ] as const)('fails with FILE_CHANGED when a file %s after listing', async (_how, path, delta) => {
    const root = makeMixedTree();
    const entries = await collectFiles(root, { label: 'test' });
    const content = readFileSync(join(root, path));
    writeFileSync(join(root, path), delta > 0 ? Buffer.concat([content, Buffer.from('x')]) : content.subarray(0, content.length - 1));
    const file = join(tempDir('zip-out-'), 'out.zip');
    await expect(writeDeterministicZip(entries, file)).rejects.toMatchObject({ code: 'FILE_CHANGED', message: expect.stringContaining(path) });
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
    const outside = tempDir('outside-');
    writeFileSync(join(outside, 'secret.txt'), 'nope');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'pkg', 'leak.txt'));
    await expect(collectFiles(root, { label: 'layers/x/layer.json' })).rejects.toMatchObject({
      code: 'SYMLINK_ESCAPES',
      message: expect.stringContaining('layers/x/layer.json: pkg/leak.txt is a symlink to'),
    });
  });
});
