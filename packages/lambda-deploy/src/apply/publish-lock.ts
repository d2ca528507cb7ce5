import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ArtifactStore } from '../aws/lambda-port';
import { DeployError } from '../errors';

export interface LockOptions {
  /** A lock older than this is taken to be left by a crashed deploy and is broken. */
  ttlMs?: number;
  /** How long to wait for another deploy's publish before giving up. */
  maxWaitMs?: number;
  pollMs?: number;
  onWait?: (holder: LockHolder) => void;
  onBreak?: (holder: LockHolder) => void;
  /** The work succeeded but the lock could not be removed: it then expires on its own. */
  onReleaseFailed?: (error: unknown) => void;
}

export interface LockHolder {
  token: string;
  host: string;
  pid: number;
  acquiredAt: number;
  expiresAt: number;
}

export function publishLockKey(layerName: string): string {
  return `locks/layers/${layerName}.json`;
}

/**
 * Serialises publishes of one layer across deploys of the same environment, with a lock object in the
 * environment's artifact bucket written by an S3 conditional write (`If-None-Match: *`). Two deploys
 * started at once would otherwise both find no version for the content and both publish one.
 * A holder that crashed is recognised (expired, or a dead process on this host) and its lock broken.
 */
export async function withPublishLock<T>(store: ArtifactStore, bucket: string, layerName: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const key = publishLockKey(layerName);
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const deadline = Date.now() + (options.maxWaitMs ?? 10 * 60_000);
  const token = randomUUID();
  let waitingOn: string | undefined;
  for (;;) {
    const me: LockHolder = { token, host: hostname(), pid: process.pid, acquiredAt: Date.now(), expiresAt: Date.now() + ttlMs };
    let etag = await store.createIfAbsent(bucket, key, JSON.stringify(me));
    if (etag === undefined) {
      const current = await store.read(bucket, key);
      if (!current) continue;
      const holder = parseHolder(current.body);
      // A write retried after its answer was lost finds its own lock.
      if (holder?.token === token) {
        etag = current.etag;
      } else if (!holder || isStale(holder)) {
        if (holder) options.onBreak?.(holder);
        await store.deleteIfUnchanged(bucket, key, current.etag);
        continue;
      } else {
        if (Date.now() > deadline) {
          throw new DeployError(
            'LOCK_TIMEOUT',
            `${layerName}: another deploy (${holder.host} pid ${holder.pid}) has been publishing this layer since ${new Date(holder.acquiredAt).toISOString()}`,
            `wait for it to finish and rerun; if that deploy is gone, delete s3://${bucket}/${key}`,
          );
        }
        if (waitingOn !== holder.token) options.onWait?.(holder);
        waitingOn = holder.token;
        await sleep(options.pollMs ?? 1000);
        continue;
      }
    }
    try {
      return await work();
    } finally {
      // A lock left behind only delays the next publish of this layer until it expires: never worth
      // failing a publish that happened, or hiding the error of one that did not.
      await store.deleteIfUnchanged(bucket, key, etag).catch((error: unknown) => options.onReleaseFailed?.(error));
    }
  }
}

function parseHolder(body: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(body) as LockHolder;
    return typeof parsed.token === 'string' && typeof parsed.expiresAt === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isStale(holder: LockHolder): boolean {
  if (Date.now() > holder.expiresAt) return true;
  return holder.host === hostname() && !processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
