import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { layerIndexPath, layerRecordDir, writeLayerIndex } from './export-layers';

const run = promisify(execFile);
const REPO = join(__dirname, '..', '..', '..', '..');

function writeRecord(root: string, layer: string, region: string, version: number): void {
  const dir = join(layerRecordDir(root, 'prod'), layer);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${region}.json`), JSON.stringify({ arn: `arn:aws:lambda:${region}:123456789012:layer:${layer}:${version}`, version, semver: '1.0.0', sha256: 'ab' }));
}

describe('layers.json', () => {
  it('holds every layer and region recorded, and keeps entries of layers this run did not deploy', () => {
    const root = mkdtempSync(join(tmpdir(), 'export-'));
    writeRecord(root, 'core', 'eu-west-1', 3);
    writeRecord(root, 'deps', 'eu-west-1', 7);
    writeLayerIndex(root, 'prod');
    writeRecord(root, 'core', 'eu-west-1', 4);
    const index = writeLayerIndex(root, 'prod');
    expect(index.layers).toEqual({
      core: { 'eu-west-1': { arn: 'arn:aws:lambda:eu-west-1:123456789012:layer:core:4', version: 4, semver: '1.0.0', sha256: 'ab' } },
      deps: { 'eu-west-1': { arn: 'arn:aws:lambda:eu-west-1:123456789012:layer:deps:7', version: 7, semver: '1.0.0', sha256: 'ab' } },
    });
    expect(JSON.parse(readFileSync(layerIndexPath(root, 'prod'), 'utf8'))).toEqual(index);
  });

  it('several processes recording and rebuilding at once leave an index with every record', async () => {
    const root = mkdtempSync(join(tmpdir(), 'export-race-'));
    const writers = ['core', 'deps', 'util', 'auth', 'db', 'http'].flatMap((layer) => ['eu-west-1', 'us-east-1'].map((region) => ({ layer, region })));
    const script = `
      const { mkdirSync, writeFileSync, renameSync } = require('node:fs');
      const { join } = require('node:path');
      const { writeLayerIndex, layerRecordDir } = require(${JSON.stringify(join(__dirname, 'export-layers.ts'))});
      const [root, layer, region] = process.argv.slice(1);
      const dir = join(layerRecordDir(root, 'prod'), layer);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, region + '.json');
      writeFileSync(file + '.tmp', JSON.stringify({ arn: 'arn:aws:lambda:' + region + ':123456789012:layer:' + layer + ':1', version: 1, semver: '1.0.0', sha256: 'ab' }));
      renameSync(file + '.tmp', file);
      writeLayerIndex(root, 'prod');
    `;
    await Promise.all(writers.map(({ layer, region }) => run(process.execPath, ['-r', '@swc-node/register', '-e', script, root, layer, region], { cwd: REPO })));
    const index = JSON.parse(readFileSync(layerIndexPath(root, 'prod'), 'utf8'));
    for (const { layer, region } of writers) expect(index.layers[layer]?.[region]?.arn, `${layer} ${region}`).toBe(`arn:aws:lambda:${region}:123456789012:layer:${layer}:1`);
  });
});
