import { planShare, shareGrants } from '../plan/plan-layer-share';
import type { DeployContext } from './deploy-context';

/**
 * Gives one layer version exactly the permissions layer.json's `share` asks for: reads its policy
 * (GetLayerVersionPolicy), then adds and removes only the statements that differ, so a version
 * already shared right costs one read. Without `share` the version's permissions are not managed.
 */
export async function shareLayerVersion(ctx: DeployContext, project: string, layerName: string, version: number): Promise<void> {
  const share = ctx.workspace.layers.get(project)?.share;
  if (!share) return;
  const lambda = ctx.session.lambda;
  await ctx.log.step(
    project,
    'share',
    async () => {
      const plan = planShare(share, await lambda.layerVersionPolicySids(layerName, version));
      for (const sid of plan.remove) await lambda.removeLayerVersionPermission(layerName, version, sid);
      for (const grant of plan.add) await lambda.addLayerVersionPermission(layerName, version, grant);
      return plan;
    },
    (plan) =>
      plan.add.length || plan.remove.length
        ? { outcome: 'done', message: `v${version} permissions: ${[...plan.add.map((g) => `+${g.sid}`), ...plan.remove.map((sid) => `-${sid}`)].join(' ')}`, details: { version, added: plan.add.map((g) => g.sid), removed: plan.remove } }
        : { outcome: 'unchanged', message: `v${version} already carries the permissions layer.json shares` },
  );
}

/**
 * For a dry-run: what shareLayerVersion would change, as `planned` lines (reads only). `version` is
 * undefined when the run would publish a new one, which then gets every statement of `share`.
 */
export async function previewLayerShare(ctx: DeployContext, project: string, layerName: string, version: number | undefined): Promise<void> {
  const share = ctx.workspace.layers.get(project)?.share;
  if (!share) return;
  const plan = version === undefined ? { add: shareGrants(share), remove: [] } : planShare(share, await ctx.session.lambda.layerVersionPolicySids(layerName, version));
  if (!plan.add.length && !plan.remove.length) return;
  const changes = [...plan.add.map((g) => `+${g.sid}`), ...plan.remove.map((sid) => `-${sid}`)].join(' ');
  ctx.log.emit({ project, step: 'plan', outcome: 'planned', message: `plan share ${version === undefined ? 'the new version' : `v${version}`}: ${changes}` });
}
