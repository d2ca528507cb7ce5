// @module-tag e2e
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NxWorkspace, readZip, replayedFromCache } from './nx-workspace';

const FUNCTION = 'ingest-v2';
const PIP_LINE = `[${FUNCTION}] pip install -r lambdas/${FUNCTION}/requirements.txt`;
// Packaging only, no AWS call: the endpoint is never dialled.
const NO_AWS = 'http://127.0.0.1:9';

const zipOf = (ws: NxWorkspace, member: string) => readZip(join(ws.root, 'dist', 'lambdas', FUNCTION, 'package', 'function.zip'), member) as { names: string[]; text: string };

describe('a Python function with its own requirements: pip runs only when what it installs can change', () => {
  let ws: NxWorkspace;
  const pkg = async () => {
    const result = await ws.nx(['run', `${FUNCTION}:package`]);
    expect(result.status, result.output).toBe(0);
    return result.output;
  };

  beforeAll(() => {
    ws = new NxWorkspace(NO_AWS, 'e2e-fnreq');
    const functionJson = JSON.parse(ws.read(`lambdas/${FUNCTION}/function.json`));
    ws.write(`lambdas/${FUNCTION}/function.json`, JSON.stringify({ ...functionJson, requirements: 'requirements.txt' }, null, 2));
    ws.write(`lambdas/${FUNCTION}/requirements.txt`, 'six==1.16.0\n');
    ws.commit('ingest-v2 gets its own requirements');
  });

  it('first run installs into the zip; a handler edit repackages without pip; a requirements edit reruns pip', async () => {
    const first = await pkg();
    expect(first).toContain(PIP_LINE);
    expect(replayedFromCache(first, FUNCTION, 'install'), first).toBe(false);
    const handler = ws.read(`lambdas/${FUNCTION}/handler.py`);
    const zipped = zipOf(ws, 'handler.py');
    expect(zipped.text).toBe(handler);
    expect(zipped.names).toEqual(expect.arrayContaining(['handler.py', 'six.py', 'requirements.txt']));
    expect(zipped.names).not.toContain('function.json');
    expect(zipped.names.some((name) => name.startsWith('six-1.16.0.dist-info/')), zipped.names.join(' ')).toBe(true);

    ws.write(`lambdas/${FUNCTION}/handler.py`, `${handler}\nEDITED = True\n`);
    const afterEdit = await pkg();
    // A replayed install repeats its log, pip's line included: the replay marker is what says pip did not run.
    expect(replayedFromCache(afterEdit, FUNCTION, 'install'), afterEdit).toBe(true);
    expect(replayedFromCache(afterEdit, FUNCTION, 'package'), afterEdit).toBe(false);
    const edited = zipOf(ws, 'handler.py');
    expect(edited.text).toContain('EDITED = True');
    expect(edited.names).toContain('six.py');

    ws.write(`lambdas/${FUNCTION}/requirements.txt`, 'python-dateutil==2.9.0.post0\n');
    const afterRequirements = await pkg();
    expect(afterRequirements).toContain(PIP_LINE);
    expect(replayedFromCache(afterRequirements, FUNCTION, 'install'), afterRequirements).toBe(false);
    const names = zipOf(ws, 'handler.py').names;
    expect(names).toContain('dateutil/__init__.py');
    // six comes back as python-dateutil's own dependency: the tree is pip's output for the new file only.
    expect(names.some((name) => name.startsWith('python_dateutil-2.9.0.post0.dist-info/'))).toBe(true);
  });
});
