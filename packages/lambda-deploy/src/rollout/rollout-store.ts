import type { ArtifactStore } from '../aws/lambda-port';
import { DeployError } from '../errors';
import { isFinal, parseRolloutKey, rolloutRecordKey, ROLLOUTS_PREFIX, safeRunId, type RolloutPhase, type RolloutRecord } from './rollout-record';
import type { RolloutPlan } from './plan-rollout';

/** Where a rollout stands, from its records: the plan and the newest transition. */
export interface RolloutProgress {
  plan: RolloutPlan;
  last: RolloutRecord;
  /** The sequence number the next record takes. */
  nextSeq: number;
}

/** The rollouts of one environment, in its artifact bucket (rollout-record.ts says the layout). */
export class RolloutStore {
  constructor(
    private readonly store: ArtifactStore,
    readonly bucket: string,
  ) {}

  /**
   * Appends a record at `seq`. The write is conditional: when the key is taken, another process is
   * driving the same rollout, and this one must stop rather than fight over the aliases.
   */
  async append(runId: string, seq: number, record: RolloutRecord): Promise<void> {
    const key = rolloutRecordKey(runId, seq, record.phase);
    const result = await this.store.createIfAbsent(this.bucket, key, `${JSON.stringify(record, null, 2)}\n`);
    if (!result.done) throw new DeployError('ROLLOUT_CONCURRENT', `rollout ${runId}: s3://${this.bucket}/${key} was written by another process`, 'another deploy is driving this rollout: let it finish, then rerun');
  }

  /** Run ids of rollouts whose newest record is not final (one listing, no reads). */
  async unfinished(): Promise<string[]> {
    return [...(await this.newest())].filter(([, phase]) => !isFinal(phase)).map(([runId]) => runId).sort();
  }

  /** Run ids of rollouts that ended promoted (and were not rolled back as a unit since). */
  async promoted(): Promise<string[]> {
    return [...(await this.newest())].filter(([, phase]) => phase === 'promoted').map(([runId]) => runId).sort();
  }

  private async newest(): Promise<Map<string, RolloutPhase>> {
    const newest = new Map<string, { seq: number; phase: RolloutPhase }>();
    for (const key of await this.keys(ROLLOUTS_PREFIX)) {
      const parsed = parseRolloutKey(key);
      if (!parsed) continue;
      const seen = newest.get(parsed.runId);
      if (!seen || parsed.seq > seen.seq) newest.set(parsed.runId, parsed);
    }
    return new Map([...newest].map(([runId, last]) => [runId, last.phase]));
  }

  /** The plan and the newest record of one rollout (one listing, two reads); undefined if it never started. */
  async progress(runId: string): Promise<RolloutProgress | undefined> {
    const parsed = (await this.keys(`${ROLLOUTS_PREFIX}${safeRunId(runId)}/`)).map((key) => ({ key, ...parseRolloutKey(key)! })).filter((p) => p.phase);
    const started = parsed.find((p) => p.phase === 'started');
    if (!started) return undefined;
    const last = parsed.reduce((a, b) => (b.seq > a.seq ? b : a));
    const plan = (await this.read<Extract<RolloutRecord, { phase: 'started' }>>(started.key)).plan;
    return { plan, last: last === started ? { phase: 'started', at: '', plan } : await this.read<RolloutRecord>(last.key), nextSeq: last.seq + 1 };
  }

  private async read<T>(key: string): Promise<T> {
    const object = await this.store.read(this.bucket, key);
    if (!object) throw new DeployError('ROLLOUT_STATE_MISSING', `s3://${this.bucket}/${key} was listed but cannot be read`, 'rerun; if it persists, check the bucket\'s lifecycle rules do not expire rollouts/');
    return JSON.parse(object.body) as T;
  }

  private async keys(prefix: string): Promise<string[]> {
    try {
      return await this.store.list(this.bucket, prefix);
    } catch (error) {
      // No bucket yet (a fresh emulator): no rollouts either.
      if ((error as { code?: string }).code === 'AWS_NoSuchBucket') return [];
      throw error;
    }
  }
}
