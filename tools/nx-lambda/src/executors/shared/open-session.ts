import { ensureLocalAws, localAwsClientConfig } from '@vectora/local-aws';
import { createAwsSession, type SessionOptions } from '@vectora/lambda-deploy/src/aws/clients';
import { ensureEmulatorBucket, ensureEmulatorRole } from '@vectora/lambda-deploy/src/aws/bootstrap-emulator';
import type { Environment } from '@vectora/lambda-deploy/src/config/environment';
import { oncePerKey } from '@vectora/lambda-deploy/src/util/once';

/**
 * AWS clients for an environment. The emulator environment gets the embedded moto server (started
 * on demand, or the one AWS_ENDPOINT_URL names) with dummy credentials scoped to that endpoint, and
 * a bucket and role made lazily, the first time a write needs them.
 */
export async function openSession(env: Environment, options: Pick<SessionOptions, 'readOnly' | 'onCall'>) {
  let clientConfig: SessionOptions['clientConfig'];
  if (env.emulator) {
    const endpoint = env.endpoint ?? (await ensureLocalAws({})).endpoint;
    clientConfig = localAwsClientConfig(endpoint, env.region);
  }
  const session = createAwsSession(env, { ...options, clientConfig });
  const role = oncePerKey((name: string) => ensureEmulatorRole(session.iam, name, session.retryStats));
  const bucket = oncePerKey((name: string) => ensureEmulatorBucket(session.s3, name, session.retryStats));
  return {
    session,
    functionRole: env.functionRole ? async () => env.functionRole! : env.emulator ? () => role(`${env.namePrefix}-lambda-${env.name}`) : undefined,
    beforeUpload: env.emulator ? bucket : undefined,
  };
}
