// @module-tag e2e
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace, readZip, replayedFromCache } from './nx-workspace';

const LAYER = 'common-deps';
const PIP_LINE = `[${LAYER}] pip install -r layers/${LAYER}/requirements.txt`;
// Builds only, no AWS call: the endpoint is never dialled.
const NO_AWS = 'http://127.0.0.1:9';

const zipOf = (ws: NxWorkspace, member: string) => readZip(join(ws.root, 'dist', 'layers', LAYER, 'package', 'layer.zip'), member) as { names: string[]; text: string };

describe('a layer with requirements and sources: pip runs only when what it installs can change', () => {
  let ws: NxWorkspace;
  const pkg = async () => {
    const result = await ws.nx(['run', `${LAYER}:package`]);
    expect(result.status, result.output).toBe(0);
    return result.output;
  };

  beforeAll(() => {
    ws = new NxWorkspace(NO_AWS, 'e2e-install');
    const layerJson = JSON.parse(ws.read(`layers/${LAYER}/layer.json`));
    ws.write(`layers/${LAYER}/layer.json`, JSON.stringify({ ...layerJson, sources: 'src' }, null, 2));
    ws.write(`layers/${LAYER}/src/deps_util.py`, 'GREETING = "one"\n');
    ws.commit('common-deps gets sources beside its requirements');
  });

  it('first run installs; a .py edit rebuilds and repackages without pip; a requirements edit reruns pip', async () => {
    const first = await pkg();
    expect(first).toContain(PIP_LINE);
    expect(replayedFromCache(first, LAYER, 'install'), first).toBe(false);
    expect(zipOf(ws, 'python/deps_util.py').names).toEqual(expect.arrayContaining(['python/yaml/__init__.py', 'python/dateutil/__init__.py', 'python/deps_util.py']));

    ws.write(`layers/${LAYER}/src/deps_util.py`, 'GREETING = "two"\n');
    const afterEdit = await pkg();
    expect(replayedFromCache(afterEdit, LAYER, 'install'), afterEdit).toBe(true);
    expect(replayedFromCache(afterEdit, LAYER, 'build'), afterEdit).toBe(false);
    const edited = zipOf(ws, 'python/deps_util.py');
    expect(edited.text).toBe('GREETING = "two"\n');
    expect(edited.names).toContain('python/yaml/__init__.py');

    ws.write(`layers/${LAYER}/requirements.txt`, 'python-dateutil==2.9.0.post0\n');
    const afterRequirements = await pkg();
    expect(afterRequirements).toContain(PIP_LINE);
    expect(replayedFromCache(afterRequirements, LAYER, 'install'), afterRequirements).toBe(false);
    const names = zipOf(ws, 'python/deps_util.py').names;
    expect(names).toContain('python/dateutil/__init__.py');
    expect(names).not.toContain('python/yaml/__init__.py');
  });

  it('the plugin version is part of the install task hash: another version reruns pip, the same one replays', async () => {
    // What a new plugin release changes: the pluginVersion option the plugin puts on its targets.
    const shown = (await ws.nx(['show', 'project', LAYER, '--json'])).output;
    const inferred = JSON.parse(shown.slice(shown.indexOf('{')));
    const current = inferred.targets.install.options.pluginVersion as string;
    expect(current).toMatch(/^\d+\.\d+\.\d+/);
    const same = await pkg();
    expect(replayedFromCache(same, LAYER, 'install'), same).toBe(true);
    ws.write(`layers/${LAYER}/project.json`, JSON.stringify({ targets: { install: { options: { pluginVersion: `${current}-next` } } } }));
    const next = await pkg();
    expect(next).toContain(PIP_LINE);
    expect(replayedFromCache(next, LAYER, 'install'), next).toBe(false);
  });
});

describe('a layer with sources only: its install is an empty cached step, so every layer is packaged after as many steps', () => {
  it('makes nothing, is replayed from the cache, and a source edit still rebuilds and repackages', async () => {
    const SOURCES_ONLY = 'vectora-core';
    const ws = new NxWorkspace(NO_AWS, 'e2e-no-install');
    const pkg = async () => {
      const result = await ws.nx(['run', `${SOURCES_ONLY}:package`]);
      expect(result.status, result.output).toBe(0);
      return result.output;
    };
    await pkg();
    expect(existsSync(join(ws.root, 'dist', 'layers', SOURCES_ONLY, 'install'))).toBe(false);
    const again = await pkg();
    expect(replayedFromCache(again, SOURCES_ONLY, 'install'), again).toBe(true);
    expect(replayedFromCache(again, SOURCES_ONLY, 'package'), again).toBe(true);

    const file = `layers/${SOURCES_ONLY}/src/vectora_core/scoring.py`;
    ws.write(file, `${ws.read(file)}\n# edited\n`);
    const afterEdit = await pkg();
    expect(replayedFromCache(afterEdit, SOURCES_ONLY, 'install'), afterEdit).toBe(true);
    expect(replayedFromCache(afterEdit, SOURCES_ONLY, 'build'), afterEdit).toBe(false);
    expect(replayedFromCache(afterEdit, SOURCES_ONLY, 'package'), afterEdit).toBe(false);
  });
});
