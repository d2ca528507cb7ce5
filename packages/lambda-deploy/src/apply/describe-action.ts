import type { Action } from '../plan/types';
import type { StepEvent } from '../report/events';

/** The plan line of an action, identical in a dry-run and in the real run that follows it. */
export function describeAction(action: Action): string {
  return `${action.kind}: ${action.reason}`;
}

/** A skip or warning, reported the same way by a dry-run and by the real run. */
export function passiveEvent(project: string, action: Action): StepEvent {
  return { project, step: action.kind, outcome: action.kind === 'warn' ? 'warning' : 'unchanged', message: action.reason };
}
