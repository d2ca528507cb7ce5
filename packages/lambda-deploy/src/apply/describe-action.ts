import type { Action } from '../plan/types';

/** The plan line of an action, identical in a dry-run and in the real run that follows it. */
export function describeAction(action: Action): string {
  return `${action.kind}: ${action.reason}`;
}
