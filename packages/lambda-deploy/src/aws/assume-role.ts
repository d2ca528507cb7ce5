import { toDeployError } from './aws-error';
import { withRetry, type RetryStats } from './retry';

/** What the SDK clients sign with. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Renew this long before STS's expiry, so no request is signed with credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Credentials of `roleArn`, assumed through STS with the base credentials (the normal chain, or the
 * emulator's): fetched on first use, shared by every client of the session, renewed before they expire.
 */
export function assumedRoleCredentials(
  roleArn: string,
  environment: string,
  stsConfig: Record<string, unknown>,
  stats?: RetryStats,
  attach?: (client: { middlewareStack: unknown }) => void,
): () => Promise<TemporaryCredentials> {
  let current: Promise<TemporaryCredentials> | undefined;
  let expiresAt = 0;
  const assume = async (): Promise<TemporaryCredentials> => {
    const sts = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
    const client = new sts.STSClient(stsConfig);
    attach?.(client);
    const out = await withRetry(`${roleArn}: sts:AssumeRole`, () => client.send(new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: `lambda-deploy-${environment}`.slice(0, 64) })), undefined, stats).catch((error: unknown) => {
      throw toDeployError(error, 'sts:AssumeRole', roleArn);
    });
    const c = out.Credentials!;
    expiresAt = c.Expiration ? c.Expiration.getTime() : Number.POSITIVE_INFINITY;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
  return () => {
    if (!current || Date.now() > expiresAt - RENEW_BEFORE_MS) {
      // Requests made while the first AssumeRole is in flight wait for it rather than start another.
      expiresAt = Number.POSITIVE_INFINITY;
      current = assume();
      // A failed AssumeRole is not cached: the next request asks again.
      current.catch(() => {
        current = undefined;
      });
    }
    return current;
  };
}
