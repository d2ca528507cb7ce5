import { cascadeBench } from './cascade.bench';
import { fleetBench } from './fleet.bench';
import { nodeBench } from './node.bench';
import { noopBench } from './noop.bench';
import { packagingBench } from './packaging.bench';
import { packagingThroughCli } from './packaging/cli-section';
import { regionsBench } from './regions.bench';
import { rolloutBench } from './rollout.bench';
import { scalingBench } from './scaling.bench';

export interface BenchContext {
  /** smoke: a tenth-size fixture and fewer rounds, to check the bench itself runs. */
  size: 'smoke' | 'full';
}

export type Bench = (ctx: BenchContext) => Promise<void>;

/** Every bench `npm run bench` knows, by the name given on its command line. */
export const benches: Record<string, Bench> = {
  packaging: async (ctx) => {
    await packagingBench(ctx);
    process.stdout.write('\n-- packaging through the nx CLI --\n');
    await packagingThroughCli(ctx);
  },
  'packaging-cli': packagingThroughCli,
  cascade: cascadeBench,
  noop: noopBench,
  fleet: fleetBench,
  scaling: scalingBench,
  rollout: rolloutBench,
  node: nodeBench,
  regions: regionsBench,
};
