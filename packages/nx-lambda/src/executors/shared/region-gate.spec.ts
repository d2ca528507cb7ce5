import { describe, expect, it } from 'vitest';
import { RegionGate } from './region-gate';

describe('RegionGate', () => {
  it('lets no region past until every region arrived, then tells each which failed', async () => {
    const gate = new RegionGate(3);
    const passed: string[] = [];
    const east = gate.arrive('us-east-1', false).then((failed) => passed.push(`us-east-1:${failed.join()}`));
    const west = gate.arrive('us-west-2', true).then((failed) => passed.push(`us-west-2:${failed.join()}`));
    await Promise.resolve();
    expect(passed).toEqual([]);
    await gate.arrive('eu-west-1', false);
    await Promise.all([east, west]);
    expect(passed.sort()).toEqual(['us-east-1:us-west-2', 'us-west-2:us-west-2']);
  });

  it('says which regions refused, so a clean one writes nothing', () => {
    expect(RegionGate.refusal('us-east-1', ['eu-west-1'])).toMatchObject({ code: 'REGION_CHECKS_FAILED', message: expect.stringContaining('not run in us-east-1: the checks before the first write failed in eu-west-1') });
  });
});
