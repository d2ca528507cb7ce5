import type { FunctionState } from '../aws/lambda-port';
import type { Environment } from '../config/environment';
import type { DeployContext } from '../deploy/deploy-context';
import { DeployError } from '../errors';
import type { CreateFunction, UpdateCode } from '../plan/types';
import type { SourceLayer } from './check-target';
import { contentHashOf } from './provenance';

/** Where a promotion's copy lives: the target bucket's object, and the source's it was copied from. */
export interface CopiedZip {
  from: string;
  bucket: string;
  key: string;
  sourceBucket: string;
}

/** The copy of the source's zip `key` in the target's bucket. */
export function copiedZip(ctx: DeployContext, from: Environment, key: string): CopiedZip {
  return { from: from.name, bucket: ctx.env.artifactBucket!, key, sourceBucket: from.artifactBucket! };
}

/**
 * After a promotion's code update or create: Lambda's CodeSha256 (base64 sha256 of the zip it took
 * from the target's bucket) must be the source function's. A server-side copy is not checked on
 * the way, and a zip already under the key is never copied again, so this is where a wrong object
 * shows: refused, saying the function now runs it and how to get the right bytes there.
 */
export function codeVerifier(ctx: DeployContext, zip: CopiedZip, sourceCodeSha256: string): (project: string, action: CreateFunction | UpdateCode, state: FunctionState) => void {
  return (project, action, state) => {
    if (state.codeSha256 === sourceCodeSha256) return;
    throw corruptCopy(
      `${project}: ${action.functionName} in ${ctx.env.name} now runs ${short(state.codeSha256)} from s3://${zip.bucket}/${zip.key}, not the ${short(sourceCodeSha256)} ${zip.from} runs: that object is not the zip its key names`,
      `${action.functionName} runs those wrong bytes until fixed: ${recovery(zip, `nx run ${project}:promote -c ${ctx.env.name} --from=${zip.from}`)} (or \`nx run ${project}:rollback -c ${ctx.env.name}\` to put back what ran before)`,
    );
  };
}

/**
 * After a promotion publishes a layer version: what Lambda holds (Content.CodeSha256) must be the
 * source version's. Otherwise the version is deleted before any function points to it (functions
 * repoint in their own tasks, which this failure stops) and the promotion refused.
 */
export async function verifyPublishedLayer(ctx: DeployContext, layer: SourceLayer, layerName: string, version: number, zip: CopiedZip): Promise<void> {
  const published = await ctx.session.lambda.getLayerVersion(layerName, version);
  if (!published || published.codeSha256 === layer.codeSha256) return;
  await ctx.session.lambda.deleteLayerVersion(layerName, version);
  throw corruptCopy(
    `${layer.project}: ${layerName}:${version}, published in ${ctx.env.name} from s3://${zip.bucket}/${zip.key}, holds ${short(published.codeSha256 ?? '')}, not the ${short(layer.codeSha256)} of ${zip.from}'s ${layer.layerName}:${layer.version}: that object is not the zip its key names; the version was deleted, no function uses it`,
    recovery(zip, `nx run ${layer.project}:promote -c ${ctx.env.name} --from=${zip.from}`),
  );
}

function corruptCopy(message: string, hint: string): DeployError {
  return new DeployError('PROMOTE_ARTIFACT_CORRUPT', message, hint);
}

function recovery(zip: CopiedZip, rerun: string): string {
  return `delete s3://${zip.bucket}/${zip.key} and promote again (\`${rerun}\`): the zip is then copied anew from ${zip.from}; if ${zip.from}'s s3://${zip.sourceBucket}/${zip.key} is wrong too, redeploy ${zip.from} first`;
}

function short(codeSha256: string): string {
  return `${contentHashOf(codeSha256).slice(0, 19)}..`;
}
