import type { DeployContext } from '../deploy/deploy-context';
import { DeployError } from '../errors';

/** The zip a promotion copies must be in the source's bucket; checked while planning, before any write. */
export async function requireSourceArtifact(sctx: DeployContext, key: string, what: string): Promise<void> {
  const bucket = sctx.env.artifactBucket!;
  if (await sctx.session.store.exists(bucket, key)) return;
  throw new DeployError(
    'PROMOTE_ARTIFACT_MISSING',
    `${what} runs in ${sctx.env.name}, but its zip is not in s3://${bucket}/${key}: it was not deployed through this tool's bucket (or the object was deleted)`,
    `redeploy it to ${sctx.env.name} with this tool, then promote`,
  );
}

/**
 * Whether the target's bucket already holds the zip (content-addressed: then nothing is copied). A
 * real account's bucket must exist: said now, before the first write, as a deploy does.
 */
export async function targetArtifactExists(ctx: DeployContext, key: string): Promise<boolean> {
  const bucket = ctx.env.artifactBucket!;
  if (!ctx.beforeUpload) await ctx.session.store.checkBucket(bucket, ctx.env.region);
  return ctx.session.store.exists(bucket, key);
}
