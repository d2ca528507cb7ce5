import type { ApplyDeps } from '../apply/apply-plan';
import { isProgressive } from '../config/rollout-policy';
import { HistoryStore } from '../history/history-store';
import { lazy } from '../util/lazy';
import type { DeployContext } from './deploy-context';

/**
 * What apply needs of a deploy context: the ports, the log, and the bucket that keeps code and history.
 * The store is read on first use: a deploy that plans no write never needs S3 (its client and module).
 */
export function applyDeps(ctx: DeployContext): ApplyDeps {
  const bucket = ctx.env.artifactBucket;
  const history = lazy(() => new HistoryStore(ctx.session.store, bucket!));
  return {
    lambda: ctx.session.lambda,
    get store() {
      return ctx.session.store;
    },
    log: ctx.log,
    parameters: ctx.session.parameters,
    secrets: ctx.session.secrets,
    functionRole: ctx.functionRole,
    beforeUpload: ctx.beforeUpload,
    wait: ctx.wait,
    progress: ctx.progress,
    holdAliases: isProgressive(ctx.env.rollout),
    artifacts: bucket
      ? {
          bucket,
          runId: ctx.runId,
          get history() {
            return history();
          },
        }
      : undefined,
  };
}
