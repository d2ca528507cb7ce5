import type { PublishVersion } from '../plan/types';
import type { ApplyDeps } from './apply-plan';

/** What a held publish leaves for the run's rollout, in the event's details (and so in the task's report). */
export interface HeldVersion {
  functionName: string;
  alias: string;
  from: string;
  to: string;
}

/**
 * Under a stepped rollout policy: publishes the version but leaves the alias where it is. The run's
 * rollout then moves every held alias together; until it does, callers keep the old version.
 */
export async function publishHeldVersion(project: string, action: PublishVersion, deps: ApplyDeps): Promise<void> {
  await deps.log.step(
    project,
    action.kind,
    async () => {
      const version = (await deps.lambda.publishVersion(action.functionName)).version!;
      // Planning read where the alias points; only when it could not, read it now (a paced control-plane call).
      const current = action.aliasVersion !== undefined ? { functionVersion: action.aliasVersion } : await deps.lambda.getAlias(action.functionName, action.alias);
      // Deleted since planning: there is no old version to roll out from, so point it straight away.
      if (!current) await deps.lambda.pointAlias(action.functionName, action.alias, version, false);
      return { version, from: current?.functionVersion };
    },
    ({ version, from }) => {
      if (from === undefined) return { outcome: 'done', message: `alias ${action.alias} created on version ${version}`, details: { version } };
      if (from === version) return { outcome: 'unchanged', message: `alias ${action.alias} already on version ${version}`, details: { version } };
      const held: HeldVersion = { functionName: action.functionName, alias: action.alias, from, to: version };
      return { outcome: 'done', message: `published version ${version}; alias ${action.alias} stays on version ${from} until the run's rollout`, details: { version, held } };
    },
  );
}
