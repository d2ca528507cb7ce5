/**
 * Remembers when each function was last created or updated, so the injector can answer as real
 * Lambda does for a while afterwards: `ResourceConflictException` to another write, and
 * `InProgress` (or `Pending` after a create) to reads. moto settles every update at once.
 */
export class UpdateTracker {
  private readonly lastUpdate = new Map<string, { at: number; created: boolean }>();

  constructor(private readonly now: () => number) {}

  record(functionName: string, created: boolean): void {
    this.lastUpdate.set(functionName, { at: this.now(), created });
  }

  /** Whether `functionName` was updated less than `windowMs` ago, and whether that update was its creation. */
  within(functionName: string, windowMs: number): { created: boolean } | undefined {
    const last = this.lastUpdate.get(functionName);
    return last && this.now() - last.at < windowMs ? { created: last.created } : undefined;
  }
}
