import { describe, expect, it } from 'vitest';
import { deployLayer } from '../src/deploy/deploy-layer';
import { DeployError } from '../src/errors';
import { makeWorkspace, packageAll, testContext, uniquePrefix } from './harness';

describe('an approval gate (requireApproval)', () => {
  it('is asked after the plan is printed, and a refusal leaves AWS untouched', async () => {
    const root = makeWorkspace({ VERSION: 'core=1.0.0\n', 'layers/core/layer.json': '{"sources":"src"}', 'layers/core/src/core.py': 'V = 1\n' });
    await packageAll(root);
    const ctx = testContext(root, { prefix: uniquePrefix('approval') });
    let askedAfterPlan = false;
    ctx.approve = async (writes) => {
      askedAfterPlan = ctx.events.filter((e) => e.step === 'plan').length === writes;
      throw new DeployError('NOT_APPROVED', 'core: not approved, nothing written', 'rerun and answer y');
    };
    await expect(deployLayer(ctx, 'core', [])).rejects.toMatchObject({ code: 'NOT_APPROVED' });
    expect(askedAfterPlan).toBe(true);
    expect(ctx.session.recorder.writes()).toEqual([]);
  });
});
