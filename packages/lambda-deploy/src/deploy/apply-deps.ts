import type { ApplyDeps } from '../apply/apply-plan';
import { isProgressive } from '../config/rollout-policy';
import { HistoryStore } from '../history/history-store';
import type { DeployContext } from './deploy-context';

/** What apply needs of a deploy context: the ports, the log, and the bucket that keeps code and history. */
export function applyDeps(ctx: DeployContext): ApplyDeps {
  const bucket = ctx.env.artifactBucket;
  return {
    lambda: ctx.session.lambda,
    store: ctx.session.store,
    log: ctx.log,
    parameters: ctx.session.parameters,
    secrets: ctx.session.secrets,
    functionRole: ctx.functionRole,
    beforeUpload: ctx.beforeUpload,
    wait: ctx.wait,
    progress: ctx.progress,
    holdAliases: isProgressive(ctx.env.rollout),
    artifacts: bucket ? { bucket, history: new HistoryStore(ctx.session.store, bucket), runId: ctx.runId } : undefined,
  };
}
