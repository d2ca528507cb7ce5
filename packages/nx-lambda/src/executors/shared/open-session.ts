import { ensureLocalAws, localAwsClientConfig } from '@vectora/local-aws';
import { createAwsSession, type SessionOptions } from '@vectora/lambda-deploy';
import { emulatorBootstrap } from '@vectora/lambda-deploy';
import type { Environment } from '@vectora/lambda-deploy';

/**
 * AWS clients for an environment. The emulator environment gets the workspace's own moto server
 * (started on demand, or the one AWS_ENDPOINT_URL names) with dummy credentials scoped to that
 * endpoint, and a bucket and role made lazily, the first time a write needs them.
 */
export async function openSession(env: Environment, options: Pick<SessionOptions, 'readOnly' | 'onCall' | 'pacer'> & { workspaceRoot: string }) {
  let clientConfig: SessionOptions['clientConfig'];
  if (env.emulator) {
    const endpoint = env.endpoint ?? (await ensureLocalAws({ workspaceRoot: options.workspaceRoot })).endpoint;
    clientConfig = localAwsClientConfig(endpoint, env.region);
  }
  const session = createAwsSession(env, { ...options, clientConfig });
  const emulator = env.emulator ? emulatorBootstrap(session, `${env.namePrefix}-lambda-${env.name}`) : undefined;
  return {
    session,
    functionRole: env.functionRole ? async () => env.functionRole! : emulator?.functionRole,
    beforeUpload: emulator?.beforeUpload,
  };
}
