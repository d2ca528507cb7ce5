/**
 * What the tasks of one process share: each value is made once, by the first task that asks. Run
 * alone, a task has a scope of its own; in a batch, all its tasks share one, so the workspace is read
 * and validated once and every task's AWS writes draw on one paced quota.
 */
export class TaskScope {
  private readonly values = new Map<string, unknown>();

  once<T>(key: string, make: () => T): T {
    if (!this.values.has(key)) this.values.set(key, make());
    return this.values.get(key) as T;
  }
}
