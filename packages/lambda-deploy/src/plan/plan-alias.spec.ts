import { describe, expect, it } from 'vitest';
import { planAlias } from './plan-alias';
import type { ProjectPlan } from './types';

const latest = { codeSha256: 'B=', layers: ['arn:aws:lambda:us-east-1:1:layer:core:2'] };
const plan = (kind: 'skip' | 'update-layers' | 'warn'): ProjectPlan => ({
  project: 'fn',
  kind: 'function',
  awsName: 'app-fn-dev',
  // A missing function (warned) has nothing read for it.
  ...(kind === 'warn' ? {} : { before: latest }),
  actions: [kind === 'update-layers' ? { kind, project: 'fn', reason: 'layers core 1 -> 2', functionName: 'app-fn-dev', settings: {}, layerChanges: [] } : { kind, project: 'fn', reason: 'r' }],
});
const kinds = (p: ProjectPlan) => p.actions.map((a) => a.kind);

describe('planAlias', () => {
  it('moves the alias after any update of the function', () => {
    const p = plan('update-layers');
    planAlias(p, 'live', { exists: true, pointsAt: { version: '3', ...latest } });
    expect(kinds(p)).toEqual(['update-layers', 'publish-version']);
  });

  it('adds nothing when the alias already serves $LATEST, or when there is no alias', () => {
    const same = plan('skip');
    planAlias(same, 'live', { exists: true, pointsAt: { version: '3', ...latest } });
    expect(kinds(same)).toEqual(['skip']);
    const none = plan('update-layers');
    planAlias(none, undefined, undefined);
    expect(kinds(none)).toEqual(['update-layers']);
  });

  it('creates a missing alias and catches up one left behind, replacing the skip', () => {
    const missing = plan('skip');
    planAlias(missing, 'live', { exists: false });
    expect(missing.actions).toEqual([expect.objectContaining({ kind: 'publish-version', aliasExists: false, reason: 'alias live does not exist yet' })]);
    const behind = plan('skip');
    planAlias(behind, 'live', { exists: true, pointsAt: { version: '3', codeSha256: 'A=', layers: latest.layers } });
    expect(behind.actions).toEqual([expect.objectContaining({ kind: 'publish-version', aliasExists: true, reason: 'alias live is on version 3, which differs from $LATEST' })]);
  });

  it('leaves a missing function alone (warned, not deployed)', () => {
    const warned = plan('warn');
    planAlias(warned, 'live', undefined);
    expect(kinds(warned)).toEqual(['warn']);
  });
});
