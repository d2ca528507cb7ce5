import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ArtifactStore, ConditionalResult } from '../aws/lambda-port';
import { DeployError } from '../errors';

export interface LockOptions {
  /** A lock older than this is taken to be left by a crashed deploy and is broken. */
  ttlMs?: number;
  /** How long to wait for another deploy's publish before giving up. */
  maxWaitMs?: number;
  pollMs?: number;
  onWait?: (holder: LockHolder) => void;
  /** A stale lock was removed (called after the delete went through). `withoutCondition`: see ConditionalResult. */
  onBreak?: (holder: LockHolder | undefined, why: string, withoutCondition?: string) => void;
  /** The store refused the conditional write, so the lock was taken by read, write, read back. */
  onTakenWithoutCondition?: (answer: string) => void;
  /** What the release did: called only when it was not a plain conditional delete of our own lock. */
  onReleased?: (result: ConditionalResult) => void;
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

export const DEFAULT_LOCK_TTL_MS = 5 * 60_000;

export function publishLockKey(layerName: string): string {
  return `locks/layers/${layerName}.json`;
}

/**
 * Serialises publishes of one layer across deploys of the same environment, with a lock object in the
 * environment's artifact bucket written by an S3 conditional write (`If-None-Match: *`). Two deploys
 * started at once would otherwise both find no version for the content and both publish one.
 * A holder that crashed is recognised (expired, or a dead process on this host) and its lock broken.
 * On a store without S3 preconditions the store reads before it writes or deletes (see
 * ConditionalResult): the lock then has a short race, which the caller's duplicate check covers.
 */
export async function withPublishLock<T>(store: ArtifactStore, bucket: string, layerName: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const key = publishLockKey(layerName);
  const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  const deadline = Date.now() + (options.maxWaitMs ?? 10 * 60_000);
  const token = randomUUID();
  let waitingOn: string | undefined;
  for (;;) {
    const me: LockHolder = { token, host: hostname(), pid: process.pid, acquiredAt: Date.now(), expiresAt: Date.now() + ttlMs };
    const taken = await store.createIfAbsent(bucket, key, JSON.stringify(me));
    let etag = taken.done ? taken.etag : undefined;
    if (taken.done && taken.withoutCondition) options.onTakenWithoutCondition?.(taken.withoutCondition);
    if (!taken.done) {
      const current = await store.read(bucket, key);
      if (!current) continue;
      const holder = parseHolder(current.body);
      // A write retried after its answer was lost finds its own lock.
      if (holder?.token === token) {
        etag = current.etag;
      } else {
        const why = holder ? staleness(holder) : 'unreadable';
        if (why && (await breakStale(store, bucket, key, current.etag, holder, why, options))) continue;
        // A live holder, or a stale one another deploy is removing at this moment: look again shortly.
        // The wait is announced before the deadline is checked, so a run that gives up has always said
        // whom it was waiting for, however slowly its first look came back.
        if (!why && waitingOn !== holder!.token) options.onWait?.(holder!);
        waitingOn = holder?.token;
        if (Date.now() > deadline) throw why ? stuck(bucket, key, holder, why) : timedOut(layerName, bucket, key, holder!);
        await sleep(options.pollMs ?? 1000);
        continue;
      }
    }
    try {
      return await work();
    } finally {
      // A lock left behind only delays the next publish of this layer until it expires: never worth
      // failing a publish that happened, or hiding the error of one that did not.
      try {
        const released = await store.deleteIfUnchanged(bucket, key, etag!);
        if (!released.done || released.withoutCondition) options.onReleased?.(released);
      } catch (error) {
        options.onReleaseFailed?.(error);
      }
    }
  }
}

/** Removes a stale lock if it is still the one read; true once removed. A failure stops the run with the object to delete. */
async function breakStale(store: ArtifactStore, bucket: string, key: string, etag: string, holder: LockHolder | undefined, why: string, options: LockOptions): Promise<boolean> {
  let removed: ConditionalResult;
  try {
    removed = await store.deleteIfUnchanged(bucket, key, etag);
  } catch (error) {
    throw stuck(bucket, key, holder, why, error);
  }
  if (removed.done) options.onBreak?.(holder, why, removed.withoutCondition);
  return removed.done;
}

function stuck(bucket: string, key: string, holder: LockHolder | undefined, why: string, cause?: unknown): DeployError {
  const left = holder ? `left by ${holder.host} pid ${holder.pid}` : 'that cannot be read';
  const failure = cause instanceof Error ? `: ${cause.message}` : '';
  return new DeployError(
    'LOCK_STUCK',
    `cannot remove the stale publish lock s3://${bucket}/${key} ${left} (${why})${failure}`,
    `delete it by hand (\`aws s3 rm s3://${bucket}/${key}\`) and rerun. That is safe: no deploy is publishing under it (${why}), and a version published twice is deleted again by the duplicate check after each publish`,
    cause,
  );
}

function timedOut(layerName: string, bucket: string, key: string, holder: LockHolder): DeployError {
  return new DeployError(
    'LOCK_TIMEOUT',
    `${layerName}: another deploy (${holder.host} pid ${holder.pid}) has been publishing this layer since ${new Date(holder.acquiredAt).toISOString()}`,
    `wait for it to finish and rerun; if that deploy is gone, delete s3://${bucket}/${key}`,
  );
}

function parseHolder(body: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(body) as LockHolder;
    return typeof parsed.token === 'string' && typeof parsed.expiresAt === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Why a holder's lock may be broken, or undefined while it may still be publishing. */
function staleness(holder: LockHolder): string | undefined {
  if (Date.now() > holder.expiresAt) return `expired at ${new Date(holder.expiresAt).toISOString()}`;
  if (holder.host === hostname() && !processAlive(holder.pid)) return 'its process is gone';
  return undefined;
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
