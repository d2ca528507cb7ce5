/** What happened to one step of one project. The console and the JSON report both render these. */
export type StepOutcome = 'done' | 'unchanged' | 'warning' | 'failed' | 'planned' | 'info';

export interface StepEvent {
  project: string;
  step: string;
  outcome: StepOutcome;
  message: string;
  durationMs?: number;
  details?: Record<string, unknown>;
}

export type EmitEvent = (event: StepEvent) => void;

/** Keeps every event of a task for its report, and forwards each to the live renderer. */
export class EventLog {
  readonly events: StepEvent[] = [];

  constructor(private readonly sink: EmitEvent = () => {}) {}

  readonly emit: EmitEvent = (event) => {
    this.events.push(event);
    this.sink(event);
  };

  /** Runs a step, timing it and emitting `failed` with the error message if it throws. */
  async step<T>(project: string, step: string, run: () => Promise<T>, describe: (result: T) => Omit<StepEvent, 'project' | 'step' | 'durationMs'>): Promise<T> {
    const started = performance.now();
    try {
      const result = await run();
      this.emit({ project, step, durationMs: performance.now() - started, ...describe(result) });
      return result;
    } catch (error) {
      this.emit({ project, step, outcome: 'failed', message: `${step} failed: ${(error as Error).message.split('\n')[0]}`, durationMs: performance.now() - started });
      throw error;
    }
  }
}
