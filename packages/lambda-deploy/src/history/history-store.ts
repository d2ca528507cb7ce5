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

  /** Every entry, oldest first (a read per entry: for reports and tests, not for a deploy's path). */
  async list(functionName: string): Promise<HistoryRecord[]> {
    const records = await Promise.all((await this.ids(functionName)).map((id) => this.get(functionName, id)));
    return records.filter((record): record is HistoryRecord => record !== undefined);
  }

  /** The latest entry only (one List, one Get): what a rollback without --to goes back from. */
  async latest(functionName: string): Promise<HistoryRecord | undefined> {
    const last = (await this.ids(functionName)).at(-1);
    return last === undefined ? undefined : this.get(functionName, last);
  }

  /** Entry ids, oldest first, from one listing: ids start with their time, so they sort by it. */
  async ids(functionName: string): Promise<string[]> {
    const prefix = historyPrefix(functionName);
    try {
      return (await this.store.list(this.bucket, prefix))
        .filter((key) => key.endsWith('.json'))
        .map((key) => key.slice(prefix.length, -'.json'.length))
        .sort();
    } catch (error) {
      // No bucket yet (a fresh emulator): no history either.
      if ((error as { code?: string }).code === 'AWS_NoSuchBucket') return [];
      throw error;
    }
  }

  async get(functionName: string, id: string): Promise<HistoryRecord | undefined> {
    const object = await this.store.read(this.bucket, historyKey({ functionName, id }));
    return object && (JSON.parse(object.body) as HistoryRecord);
  }
}
