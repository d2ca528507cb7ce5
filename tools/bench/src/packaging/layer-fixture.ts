import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SeededRandom } from './seeded-random';

export interface LayerFixture {
  root: string;
  files: number;
  bytes: number;
}

/**
 * Writes a Python layer shaped like a real site-packages (numpy/pandas-like): thousands of small
 * .py modules, dist-info text, a few dozen native libraries that deflate about 2-3x, and bundled
 * data that does not deflate at all. `scale` 1 is ~150 MB in ~4,500 files; 0.1 a tenth of it.
 */
export function writeLayerFixture(scale: number, seed = 20240611): LayerFixture {
  const rng = new SeededRandom(seed);
  const root = mkdtempSync(join(tmpdir(), 'bench-layer-'));
  const sitePackages = 'python/lib/python3.12/site-packages';
  const packages = Array.from({ length: Math.max(3, Math.round(40 * scale)) }, () => identifier(rng, 2));
  const vocabulary = Array.from({ length: 600 }, () => identifier(rng, rng.int(1, 3)));
  let files = 0;
  let bytes = 0;
  const write = (path: string, content: Buffer) => {
    const file = join(root, sitePackages, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    files += 1;
    bytes += content.length;
  };
  const count = (full: number) => Math.max(1, Math.round(full * scale));

  for (let i = 0; i < count(4300); i++) {
    const depth = rng.int(0, 2);
    const dirs = Array.from({ length: depth }, () => rng.pick(vocabulary.slice(0, 60)));
    write(`${[rng.pick(packages), ...dirs, `${identifier(rng, rng.int(1, 3))}_${i}`].join('/')}.py`, pythonSource(rng, vocabulary, rng.logUniform(150, 40_000)));
  }
  for (let i = 0; i < count(150); i++) {
    const name = rng.pick(['METADATA', 'RECORD', 'LICENSE.txt', 'entry_points.txt', `${identifier(rng, 2)}.pyi`, `${identifier(rng, 2)}.json`]);
    write(`${rng.pick(packages)}-${rng.int(0, 9)}.${rng.int(0, 30)}.${i}.dist-info/${name}`, pythonSource(rng, vocabulary, rng.logUniform(200, 200_000)));
  }
  for (const [i, size] of sizesSummingTo(rng, count(25), 60_000_000 * scale).entries()) {
    write(`${rng.pick(packages)}/_libs/${identifier(rng, 2)}_${i}.cpython-312-x86_64-linux-gnu.so`, nativeLibrary(rng, vocabulary, size));
  }
  for (const [i, size] of sizesSummingTo(rng, count(15), 20_000_000 * scale).entries()) {
    write(`${rng.pick(packages)}/data/${identifier(rng, 2)}_${i}.npz`, rng.bytes(size));
  }
  // One of each kind far larger than any buffer a packager should hold whole.
  write(`${packages[0]}.libs/libopenblas-${identifier(rng, 2)}.so`, nativeLibrary(rng, vocabulary, Math.round(24_000_000 * scale)));
  write(`${packages[1]}/data/weights.npz`, rng.bytes(Math.round(16_000_000 * scale)));
  return { root, files, bytes };
}

/** Log-spread sizes scaled to a fixed total, so the fixture's size does not hinge on a few draws. */
function sizesSummingTo(rng: SeededRandom, count: number, total: number): number[] {
  const weights = Array.from({ length: count }, () => rng.logUniform(1, 100));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((weight) => Math.round((weight / sum) * total));
}

// No syllable ends in "t" or starts "te", so no name can match the engine's always-excluded test_*.py / tests.
const SYLLABLES = ['ar', 'bo', 'ca', 'di', 'el', 'fu', 'ga', 'hi', 'io', 'ka', 'lu', 'mo', 'na', 'pe', 'qu', 'ri', 'so', 'tu', 'va', 'xe', 'yo', 'za', 'ser', 'ies', 'arr', 'ay', 'ind', 'ex'];

function identifier(rng: SeededRandom, syllables: number): string {
  return Array.from({ length: syllables }, () => rng.pick(SYLLABLES)).join('');
}

/** Python-looking text that deflates about as well as real modules do (3-4x at level 6). */
function pythonSource(rng: SeededRandom, words: string[], size: number): Buffer {
  const word = () => rng.pickSkewed(words);
  const phrase = () => Array.from({ length: rng.int(3, 12) }, word).join(' ');
  const lines: string[] = [`"""${phrase()}."""`, `from __future__ import annotations`, `import ${word()}`];
  let length = 0;
  while (length < size) {
    const indent = '    '.repeat(rng.int(0, 3));
    let line: string;
    switch (rng.int(0, 9)) {
      case 0: line = `\ndef ${word()}_${word()}(self, ${word()}, ${word()}=None):`; break;
      case 1: line = `${indent}"""${phrase()}."""`; break;
      case 2: line = `${indent}if ${word()} is not None and ${word()} > ${rng.int(0, 4096)}:`; break;
      case 3: line = `${indent}raise ValueError(f"${phrase()} {${word()}!r}")`; break;
      case 4: line = `${indent}return self._${word()}(${word()}, ${word()}=${word()})`; break;
      case 5: line = `${indent}# ${phrase()}`; break;
      case 6: line = `from .${word()} import ${word()}, ${word()}`; break;
      default: line = `${indent}${word()} = ${word()}.${word()}(${word()}, ${rng.int(0, 255)})`;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return Buffer.from(lines.join('\n')).subarray(0, size);
}

// Byte frequencies skewed as in x86-64 machine code: a few opcodes and prefixes dominate.
const MACHINE_CODE_BYTES = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x48, 0x48, 0x89, 0x89, 0x8b, 0x8b, 0xe8, 0xff, 0x0f, 0x85, 0x84, 0xc0, 0x24, 0x44, 0x4c, 0x83, 0xc4, 0x5d, 0xc3, 0x31, 0x74, 0x75, 0xeb, 0x01, 0x10, 0x08, 0x20, 0x40]);

/** Segments of skewed "code", repeats of recent bytes, symbol strings and padding: deflates ~2.5x. */
function nativeLibrary(rng: SeededRandom, words: string[], size: number): Buffer {
  const out = Buffer.alloc(size);
  let at = 0;
  while (at < size) {
    const kind = rng.int(0, 9);
    const end = Math.min(size, at + rng.int(64, 4096));
    if (kind < 4) {
      for (; at < end; at++) out[at] = rng.float() < 0.15 ? rng.uint32() & 0xff : MACHINE_CODE_BYTES[rng.uint32() & 31];
    } else if (kind < 7 && at > 32_768) {
      const distance = rng.int(64, 32_768);
      for (; at < end; at++) out[at] = out[at - distance];
    } else if (kind < 9) {
      while (at < end) at += out.write(`${rng.pick(words)}_${rng.pick(words)}\0`, at, 'latin1');
    } else {
      at = end;
    }
  }
  return out;
}
