import type { AlarmReader } from '../aws/alarm-reader';
import { isProgressive } from '../config/rollout-policy';
import type { DeployContext } from '../deploy/deploy-context';
import { DeployError } from '../errors';
import type { ProjectPlan } from '../plan/types';
import { alarmNames } from './plan-rollout';

/** The alarms in ALARM, and the configured names CloudWatch does not know (a typo would watch nothing). */
export async function alarmCheck(alarms: AlarmReader, names: string[]): Promise<{ firing: string[]; missing: string[] }> {
  if (names.length === 0) return { firing: [], missing: [] };
  const states = await alarms.states(names);
  return { firing: names.filter((name) => states.get(name) === 'ALARM'), missing: names.filter((name) => !states.has(name)) };
}

/** Functions these plans would add to the run's rollout: a held publish of an existing alias. */
export function rolloutProjects(plans: ProjectPlan[]): string[] {
  return plans.filter((plan) => plan.actions.some((a) => a.kind === 'publish-version' && a.aliasExists)).map((plan) => plan.project);
}

/**
 * Before the first write of a task whose functions join a rollout: an alarm already firing would
 * roll the unit back at once, so stop and say which (unless `acceptAlarms`: the fix for that alarm
 * must be able to go out). A configured alarm that does not exist stops the run too.
 */
export async function gateOnAlarms(ctx: DeployContext, plans: ProjectPlan[]): Promise<void> {
  const policy = ctx.env.rollout;
  if (!isProgressive(policy) || policy.alarms.length === 0) return;
  const projects = rolloutProjects(plans);
  if (projects.length === 0) return;
  const { firing, missing } = await alarmCheck(ctx.session.alarms, alarmNames(policy.alarms, ctx.env, projects));
  if (missing.length > 0) {
    throw new DeployError('ROLLOUT_ALARM_MISSING', `${projects.join(', ')}: CloudWatch has no alarm ${missing.join(', ')} in ${ctx.env.region} (from environments.${ctx.env.name}.rollout.alarms)`, 'create the alarm, or fix its name in nx.json (placeholders: {prefix}, {env}, {function} = project name)');
  }
  if (firing.length === 0) return;
  const list = firing.join(', ');
  if (ctx.acceptAlarms) {
    ctx.log.emit({ project: plans[0].project, step: 'rollout', outcome: 'warning', message: `alarm${firing.length === 1 ? '' : 's'} already in ALARM: ${list}; going on (--accept-alarms), these are not watched during the rollout` });
    return;
  }
  throw new DeployError('ROLLOUT_ALARM_FIRING', `alarm${firing.length === 1 ? '' : 's'} already in ALARM before the rollout: ${list}; nothing was written`, 'wait until the alarm is OK, or rerun with --accept-alarms to ship anyway (e.g. the fix for that alarm)');
}
