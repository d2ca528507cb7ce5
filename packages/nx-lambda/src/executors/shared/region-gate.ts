import { DeployError } from '@vectora/lambda-deploy';

/**
 * Holds every region of a task at one point until all have reached it, each saying whether it got
 * there cleanly: an operation's read-only checks run in every region, and no region goes on to write
 * while another refused (or could not even open its session). Each region arrives exactly once; a
 * region skipped for an upstream failure arrives clean (it writes nothing either way).
 */
export class RegionGate {
  private readonly failed: string[] = [];
  private waiting: number;
  private readonly open: Promise<void>;
  private release!: () => void;

  constructor(regions: number) {
    this.waiting = regions;
    this.open = new Promise((resolve) => (this.release = resolve));
    if (regions === 0) this.release();
  }

  /** Resolves, once every region arrived, with the regions that failed before the gate. */
  async arrive(region: string, failed: boolean): Promise<string[]> {
    if (failed) this.failed.push(region);
    if (--this.waiting === 0) this.release();
    await this.open;
    return [...this.failed].sort();
  }

  /** What a clean region throws when another region failed its checks: it writes nothing. */
  static refusal(region: string, failed: string[]): DeployError {
    return new DeployError(
      'REGION_CHECKS_FAILED',
      `not run in ${region}: the checks before the first write failed in ${failed.join(', ')}, and this step writes in no region unless every region passes them`,
      `fix what ${failed.length > 1 ? 'those regions report' : `${failed[0]} reports`} above, then rerun`,
    );
  }
}
