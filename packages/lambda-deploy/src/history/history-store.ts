import type { ArtifactStore } from '../aws/lambda-port';
import { historyKey, historyPrefix, type HistoryRecord } from './history-record';

/** The deploy history of one environment, in its artifact bucket under `history/<function>/`. */
export class HistoryStore {
  constructor(
    private readonly store: ArtifactStore,
    readonly bucket: string,
  ) {}

  async append(record: HistoryRecord): Promise<void> {
    // Ids are unique per run and time, so a conditional write never overwrites another entry.
    await this.store.createIfAbsent(this.bucket, historyKey(record), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Oldest first. */
  async list(functionName: string): Promise<HistoryRecord[]> {
    return this.read(await this.keys(functionName));
  }

  /** The latest entry only (one List, one Get): what a rollback without --to goes back from. */
  async latest(functionName: string): Promise<HistoryRecord | undefined> {
    return (await this.read((await this.keys(functionName)).slice(-1)))[0];
  }

  private async keys(functionName: string): Promise<string[]> {
    try {
      return (await this.store.list(this.bucket, historyPrefix(functionName))).filter((key) => key.endsWith('.json')).sort();
    } catch (error) {
      // No bucket yet (a fresh emulator): no history either.
      if ((error as { code?: string }).code === 'AWS_NoSuchBucket') return [];
      throw error;
    }
  }

  private async read(keys: string[]): Promise<HistoryRecord[]> {
    const records: HistoryRecord[] = [];
    for (const key of keys) {
      const object = await this.store.read(this.bucket, key);
      if (object) records.push(JSON.parse(object.body) as HistoryRecord);
    }
    return records;
  }
}
