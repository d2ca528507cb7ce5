import { toDeployError } from '../aws/aws-error';
import { withRetry } from '../aws/retry';
import type { DeployContext } from './deploy-context';

/** `<prefix>/<layer>/<region>`: where other stacks read a layer's exact version ARN. */
export function exportedParameterName(prefix: string, layer: string, region: string): string {
  return `${prefix}/${layer}/${region}`;
}

/**
 * Writes the layer's version ARN to the environment's SSM export, in the session's region, only when
 * the parameter does not hold it already: a rerun writes nothing, and consumers see a new parameter
 * version only when the layer really moved.
 */
export async function exportLayerParameter(ctx: DeployContext, project: string, arn: string): Promise<void> {
  const prefix = ctx.env.exportParameterPrefix;
  if (!prefix) return;
  const name = exportedParameterName(prefix, project, ctx.env.region);
  const ssm = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
  await ctx.log.step(
    project,
    'export-parameter',
    async () => {
      const current = await withRetry(`${name}: ssm:GetParameters`, () => ctx.session.ssm.send(new ssm.GetParametersCommand({ Names: [name] })), undefined, ctx.session.retryStats).catch((error: unknown) => {
        throw toDeployError(error, 'ssm:GetParameters', name);
      });
      if (current.Parameters?.[0]?.Value === arn) return false;
      await withRetry(`${name}: ssm:PutParameter`, () => ctx.session.ssm.send(new ssm.PutParameterCommand({ Name: name, Value: arn, Type: 'String', Overwrite: true })), undefined, ctx.session.retryStats).catch((error: unknown) => {
        throw toDeployError(error, 'ssm:PutParameter', name);
      });
      return true;
    },
    (written) => (written ? { outcome: 'done', message: `exported ${arn} to ssm:${name}` } : { outcome: 'unchanged', message: `ssm:${name} already holds ${arn}` }),
  );
}
