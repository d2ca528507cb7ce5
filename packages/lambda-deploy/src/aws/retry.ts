import { setTimeout as sleep } from 'node:timers/promises';
import { DeployError } from '../errors';
import { classifyError, type RetryClass } from './aws-error';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Bound on the time spent waiting between attempts, so a deploy under a storm still ends. */
  maxTotalDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 8_000, maxTotalDelayMs: 90_000 };

export interface RetryStats {
  retries: number;
  byClass: Record<RetryClass, number>;
}

export function newRetryStats(): RetryStats {
  return { retries: 0, byClass: { throttled: 0, conflict: 0, transient: 0, fatal: 0 } };
}

/** The retries of several sessions (one per region of a task) as one count. */
export function mergeRetryStats(all: RetryStats[]): RetryStats {
  const merged = newRetryStats();
  for (const stats of all) {
    merged.retries += stats.retries;
    for (const key of Object.keys(merged.byClass) as RetryClass[]) merged.byClass[key] += stats.byClass[key] ?? 0;
  }
  return merged;
}

/** "Full jitter" backoff: spreads retries of many concurrent callers instead of synchronising them. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

/**
 * Runs `operation` until it succeeds, a fatal error occurs, or the attempt/time budget is spent.
 * Only throttling, conflicts and transient faults are retried.
 */
export async function withRetry<T>(label: string, operation: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY_POLICY, stats?: RetryStats, classify: (error: unknown) => RetryClass = classifyError): Promise<T> {
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const kind = classify(error);
      const delay = backoffDelay(attempt, policy);
      const outOfBudget = attempt + 1 >= policy.maxAttempts || waited + delay > policy.maxTotalDelayMs;
      if (kind === 'fatal') throw error;
      if (outOfBudget) {
        throw new DeployError(
          'RETRIES_EXHAUSTED',
          `${label}: still failing after ${attempt + 1} attempts over ${(waited / 1000).toFixed(1)}s (${kind}: ${(error as Error).message})`,
          kind === 'throttled' ? 'Lambda is throttling this account: rerun later or deploy fewer projects at once (--parallel)' : 'rerun the deploy: it resumes where it stopped',
          error,
        );
      }
      if (stats) {
        stats.retries++;
        stats.byClass[kind]++;
      }
      waited += delay;
      await sleep(delay);
    }
  }
}
