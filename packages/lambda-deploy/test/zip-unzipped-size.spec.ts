import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { unzippedSizeAt, zipDirectoryAt } from '../src/aws/zip-unzipped-size';
import { pythonPackagesOf } from '../src/artifact/python-packages';
import { manifestPathOf, zipPathOf } from '../src/config/artifact-paths';
import { makeWorkspace, packageAll } from './harness';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** Serves one zip over HTTP like S3's presigned URL (Range answered with 206), or without Range support, or refusing. */
async function serve(zip: Buffer, mode: 'ranges' | 'whole' | 'forbidden'): Promise<{ url: string; requests: { range?: string; bytes: number }[] }> {
  const requests: { range?: string; bytes: number }[] = [];
  server = createServer((req, res) => {
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (mode === 'forbidden') {
      requests.push({ range: req.headers.range, bytes: 0 });
      res.writeHead(403).end();
    } else if (mode === 'ranges' && range) {
      const body = zip.subarray(Number(range[1]), Number(range[2]) + 1);
      requests.push({ range: req.headers.range, bytes: body.length });
      res.writeHead(206, { 'content-range': `bytes ${range[1]}-${range[2]}/${zip.length}` }).end(body);
    } else {
      requests.push({ range: req.headers.range, bytes: zip.length });
      res.writeHead(200).end(zip);
    }
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/layer.zip?X-Amz-Signature=x`, requests };
}

/** A layer zip from the engine's own packager, with files that do not compress, and its manifest's unzipped size. */
async function layerZip(): Promise<{ zip: Buffer; unzippedSize: number }> {
  const noise = (seed: string) => Array.from({ length: 3000 }, (_, i) => createHash('sha256').update(`${seed}${i}`).digest('hex')).join('\n');
  const root = makeWorkspace({ VERSION: 'big=1.0.0\n', 'layers/big/layer.json': JSON.stringify({ sources: 'src' }), 'layers/big/src/a.py': noise('a'), 'layers/big/src/b.py': noise('b'), 'layers/big/src/pkg/c.py': noise('c') });
  await packageAll(root);
  return { zip: readFileSync(zipPathOf(root, 'layer', 'big')), unzippedSize: JSON.parse(readFileSync(manifestPathOf(root, 'layer', 'big'), 'utf8')).unzippedSize };
}

describe('unzippedSizeAt: a layer\'s unzipped size from its zip\'s directory, over HTTP', () => {
  it('reads the end record and the directory with two range requests, far less than the zip', async () => {
    const { zip, unzippedSize } = await layerZip();
    const { url, requests } = await serve(zip, 'ranges');
    expect(await unzippedSizeAt(url, zip.length)).toBe(unzippedSize);
    expect(requests).toHaveLength(2);
    expect(requests.reduce((sum, r) => sum + r.bytes, 0)).toBeLessThan(zip.length / 2);
  });

  it('gives the entries\' names from the same two requests: an external layer\'s top-level Python packages for the layer stack check', async () => {
    const { zip } = await layerZip();
    const { url, requests } = await serve(zip, 'ranges');
    const directory = await zipDirectoryAt(url, zip.length);
    expect(directory?.names).toEqual(['python/a.py', 'python/b.py', 'python/pkg/c.py']);
    expect(requests).toHaveLength(2);
    expect(pythonPackagesOf(directory!.names).map((p) => p.name)).toEqual(['a', 'b', 'pkg']);
  });

  it('still answers when the server ignores Range and sends the whole zip', async () => {
    const { zip, unzippedSize } = await layerZip();
    const { url } = await serve(zip, 'whole');
    expect(await unzippedSizeAt(url, zip.length)).toBe(unzippedSize);
  });

  it('answers undefined (the caller counts the zipped size) when refused, or for a location that is not http(s), as the emulator gives', async () => {
    const { zip } = await layerZip();
    const { url, requests } = await serve(zip, 'forbidden');
    expect(await unzippedSizeAt(url, zip.length)).toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(await unzippedSizeAt('s3://', zip.length)).toBeUndefined();
    expect(await unzippedSizeAt(undefined, zip.length)).toBeUndefined();
  });
});
