import { sameSnapshot, type FunctionSnapshot } from '../history/history-record';
import { isWrite, type ProjectPlan } from './types';

/** What an alias points at now, read before planning. */
export interface AliasState {
  exists: boolean;
  /** Code and layers of the version the alias points to. */
  pointsAt?: FunctionSnapshot & { version: string };
}

/**
 * Adds a `publish-version` to a function plan when its alias would otherwise serve something other
 * than $LATEST: after any update in this plan, when the alias is missing, or when an earlier run
 * updated $LATEST but never moved the alias (a crash in between). Otherwise the plan is left alone.
 */
export function planAlias(plan: ProjectPlan, alias: string | undefined, state: AliasState | undefined): void {
  // The function's $LATEST as read for this plan.
  const latest = plan.before;
  if (!alias || plan.actions.some((a) => a.kind === 'warn')) return;
  // Tags and reserved concurrency belong to the function, not to a version: no new version for them.
  const updates = plan.actions.some((a) => isWrite(a) && a.kind !== 'tag-function' && a.kind !== 'put-concurrency');
  let reason: string | undefined;
  if (updates) reason = `alias ${alias} -> the version published after these updates`;
  else if (!state?.exists) reason = `alias ${alias} does not exist yet`;
  else if (latest && state.pointsAt && !sameSnapshot(state.pointsAt, latest)) reason = `alias ${alias} is on version ${state.pointsAt.version}, which differs from $LATEST`;
  if (!reason) return;
  plan.actions = plan.actions.filter((a) => a.kind !== 'skip');
  plan.actions.push({ kind: 'publish-version', project: plan.project, reason, functionName: plan.awsName, alias, aliasExists: state?.exists ?? false, ...(state?.pointsAt ? { aliasVersion: state.pointsAt.version } : {}) });
}
