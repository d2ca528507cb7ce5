import { setTimeout as sleep } from 'node:timers/promises';
import { DeployError } from '../errors';
import type { FunctionState, LambdaPort } from './lambda-port';

export interface WaitOptions {
  timeoutMs?: number;
  /** Poll interval while an update is young (most settle within a few seconds). */
  initialDelayMs?: number;
  /** After `steadyForMs`, the interval doubles up to this. */
  maxDelayMs?: number;
  steadyForMs?: number;
}

function settled(state: FunctionState): boolean {
  return state.lastUpdateStatus !== 'InProgress' && state.state !== 'Pending';
}

/**
 * Waits until a function accepts the next update. Polls with GetFunction, which has its own quota
 * (100/s), so waiting never spends the shared 15/s control-plane budget. Fails with Lambda's reason
 * when the update ends `Failed`.
 */
export async function waitForUpdate(port: LambdaPort, name: string, after: FunctionState, options: WaitOptions = {}): Promise<FunctionState> {
  const started = performance.now();
  const deadline = started + (options.timeoutMs ?? 300_000);
  let delay = options.initialDelayMs ?? 250;
  let state = after;
  while (!settled(state)) {
    if (performance.now() > deadline) {
      throw new DeployError('UPDATE_TIMEOUT', `${name}: still ${state.lastUpdateStatus ?? state.state} after ${Math.round((options.timeoutMs ?? 300_000) / 1000)}s`, 'check the function in the Lambda console, then rerun the deploy');
    }
    await sleep(delay);
    // Polls stay frequent at first, so a cascade learns of each settled update within a quarter second;
    // a slow one is then polled less, to keep within GetFunction's own quota (100/s).
    if (performance.now() - started > (options.steadyForMs ?? 2_000)) delay = Math.min(options.maxDelayMs ?? 2_000, delay * 2);
    const next = await port.getFunction(name);
    if (!next) throw new DeployError('FUNCTION_VANISHED', `${name}: deleted while being updated`, 'rerun the deploy');
    state = next;
  }
  if (state.lastUpdateStatus === 'Failed' || state.state === 'Failed') {
    throw new DeployError(
      'UPDATE_FAILED',
      `${name}: update failed: ${state.lastUpdateStatusReason ?? state.stateReason ?? 'no reason given'}`,
      'fix the cause Lambda reports (often a layer incompatible with the runtime or architecture), then rerun',
    );
  }
  return state;
}
