import { DeployError } from '../errors';
import { countBy } from '../util/count-by';

export interface AwsCall {
  service: string;
  command: string;
  durationMs: number;
  ok: boolean;
  errorCode?: string;
  /** What the call was about: function, layer or object key (never a value or a body). */
  target?: string;
}

/** Commands that only read. Anything else is a write, which a dry-run must never send. */
export function isReadCommand(command: string): boolean {
  // AssumeRole changes nothing in any account: a dry-run of an environment with assumeRole needs it.
  return /^(Get|List|Head|Describe)|^AssumeRole$/.test(command.replace(/Command$/, ''));
}

/**
 * Counts every request that reaches the SDK (retries included), for `--verbose`, the JSON report and
 * the benchmarks; and, in read-only mode, refuses writes before they are signed. That guard makes
 * "dry-run writes nothing" a property of the clients, not only of the planner.
 */
export class CallRecorder {
  readonly calls: AwsCall[] = [];

  constructor(private readonly options: { readOnly?: boolean; onCall?: (call: AwsCall) => void } = {}) {}

  get readOnly(): boolean {
    return this.options.readOnly ?? false;
  }

  writes(): AwsCall[] {
    return this.calls.filter((call) => !isReadCommand(call.command));
  }

  counts(): Record<string, number> {
    return countBy(this.calls, (call) => call.command);
  }


  attach(client: { middlewareStack: unknown }, service: string): void {
    // `finalizeRequest` runs once per attempt, after the retry middleware, so retries are counted too.
    (client.middlewareStack as { add: (mw: unknown, opts: unknown) => void }).add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const target = targetOf((args as { input?: Record<string, unknown> }).input);
        if (this.readOnly && !isReadCommand(command)) {
          throw new DeployError('DRY_RUN_WRITE', `dry-run: refused ${service}:${command}, a write`, 'this is a bug in the planner: report it with the command line');
        }
        const started = performance.now();
        try {
          const result = await next(args);
          this.record({ service, command, target, durationMs: performance.now() - started, ok: true });
          return result;
        } catch (error) {
          const code = (error as { name?: string }).name;
          this.record({ service, command, target, durationMs: performance.now() - started, ok: false, errorCode: code });
          throw error;
        }
      },
      { step: 'finalizeRequest', name: 'vectoraCallRecorder', priority: 'low' },
    );
  }

  private record(call: AwsCall): void {
    this.calls.push(call);
    this.options.onCall?.(call);
  }
}

function targetOf(input: Record<string, unknown> | undefined): string | undefined {
  const target = input?.FunctionName ?? input?.LayerName ?? input?.Key ?? input?.Bucket ?? input?.RoleName ?? input?.Resource;
  return typeof target === 'string' ? target : undefined;
}
