import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestKind } from './classify-request';
import type { FaultDecision, FaultInjector, InjectedResponse } from './faults';
import { mulberry32 } from '../seeded-random';
import { RateWindow } from './rate-window';
import { UpdateTracker } from './update-tracker';

export interface FaultOptions {
  /** Added to every request before it is answered. */
  latencyMs?: number;
  /** Lambda control-plane quota: past `perSecond` requests in a second, `429 TooManyRequestsException`. */
  rateLimit?: { perSecond: number; operations?: string[] };
  /** Share (0..1) of requests refused with a 5xx before they reach the emulator. */
  serverErrorRate?: number;
  /** Share (0..1) of writes that reach the emulator but whose answer is lost (the client sees a 5xx). */
  lostResponseRate?: number;
  /** Operations the random faults apply to (default: every Lambda and S3 request). */
  faultOperations?: string[];
  /** After a function update: further updates of it get `ResourceConflictException` for this long. */
  conflictAfterUpdateMs?: number;
  /** After a function update: reads show `LastUpdateStatus: InProgress` (`State: Pending` after a create) for this long. */
  inProgressAfterUpdateMs?: number;
  /** Always refuse these operations with this AWS error (e.g. a permission the role lacks), optionally for one function. */
  deny?: { operation: string; functionName?: string; error: InjectedResponse }[];
  /**
   * S3-compatible stores that lack a precondition: `DeleteObject` with `If-Match` (`delete`), `PutObject`
   * with `If-None-Match` (`put`). Each either answers 501 NotImplemented, answers 400, or ignores the
   * header (the request reaches the emulator without it, so the write or delete is unconditional).
   */
  unsupportedConditions?: { delete?: UnsupportedCondition; put?: UnsupportedCondition };
  /**
   * Exact faults, for a test that needs one sequence whatever the timing: the `calls`-th requests
   * (counted from 1, per operation, every request the proxy sees) of `operation` are refused with a
   * 5xx before the emulator (`refuse`) or reach it and lose their answer (`lose`). Counted in the stats
   * as the random faults of the same kind. They come before every other fault.
   */
  failCalls?: { operation: string; calls: number[]; fault: 'refuse' | 'lose' }[];
  seed?: number;
  now?: () => number;
}

export type UnsupportedCondition = 'answer-501' | 'answer-400' | 'ignore';

export interface FaultStats {
  throttled: number;
  serverErrors: number;
  lostResponses: number;
  conflicts: number;
  inProgressViews: number;
  denied: number;
  /** Conditional requests answered or stripped as a store without that condition would. */
  unsupportedConditions: number;
}

export interface ConfiguredFaults extends FaultInjector {
  stats: FaultStats;
}

const DEFAULT_RATE_LIMITED = (kind: RequestKind) => kind.service === 'lambda' && kind.operation !== 'GetFunction' && kind.operation !== 'GetFunctionConfiguration';
const UPDATES = new Set(['UpdateFunctionConfiguration', 'UpdateFunctionCode']);
const READS_OF_A_FUNCTION = new Set(['GetFunction', 'GetFunctionConfiguration']);

/**
 * A FaultInjector configured per test, each fault decided by one small rule. Random faults come from
 * a seeded generator, so a failing soak run can be replayed.
 */
export function createFaultInjector(options: FaultOptions): ConfiguredFaults {
  const now = options.now ?? (() => performance.now());
  const next = mulberry32(options.seed ?? 1);
  const random = () => next() / 0x1_0000_0000;
  const rate = options.rateLimit && new RateWindow(options.rateLimit.perSecond, now);
  const tracker = new UpdateTracker(now);
  const stats: FaultStats = { throttled: 0, serverErrors: 0, lostResponses: 0, conflicts: 0, inProgressViews: 0, denied: 0, unsupportedConditions: 0 };
  const rateLimited = (kind: RequestKind) => (options.rateLimit?.operations ? options.rateLimit.operations.includes(kind.operation) : DEFAULT_RATE_LIMITED(kind));
  const callsSeen = new Map<string, number>();
  const faultable = (kind: RequestKind) => (options.faultOperations ? options.faultOperations.includes(kind.operation) : kind.service === 'lambda' || kind.service === 's3');

  const decide = (kind: RequestKind): FaultDecision => {
    const call = (callsSeen.get(kind.operation) ?? 0) + 1;
    callsSeen.set(kind.operation, call);
    const scripted = options.failCalls?.find((f) => f.operation === kind.operation && f.calls.includes(call));
    if (scripted?.fault === 'refuse') {
      stats.serverErrors++;
      return { respond: serverError(kind) };
    }
    if (scripted?.fault === 'lose') {
      stats.lostResponses++;
      return { loseResponse: serverError(kind) };
    }
    const unsupported = unsupportedMode(kind, options.unsupportedConditions);
    if (unsupported) stats.unsupportedConditions++;
    if (unsupported === 'answer-501') return { respond: { status: 501, name: 'NotImplemented', message: 'A header you provided implies functionality that is not implemented' } };
    if (unsupported === 'answer-400') return { respond: { status: 400, name: 'InvalidArgument', message: `${kind.condition} is not supported for this operation` } };
    const rest = decideFault(kind);
    return unsupported === 'ignore' ? { ...rest, dropHeaders: [kind.condition!.toLowerCase()] } : rest;
  };

  const decideFault = (kind: RequestKind): FaultDecision => {
    const denial = options.deny?.find((d) => d.operation === kind.operation && (!d.functionName || d.functionName === kind.functionName));
    if (denial) {
      stats.denied++;
      return { respond: denial.error };
    }
    if (rate && rateLimited(kind) && !rate.tryAccept()) {
      stats.throttled++;
      return { respond: { status: 429, name: 'TooManyRequestsException', message: 'Rate exceeded' } };
    }
    if (options.conflictAfterUpdateMs && kind.functionName && UPDATES.has(kind.operation) && tracker.within(kind.functionName, options.conflictAfterUpdateMs)) {
      stats.conflicts++;
      return { respond: { status: 409, name: 'ResourceConflictException', message: `The operation cannot be performed at this time. An update is in progress for resource: ${kind.functionName}` } };
    }
    if (faultable(kind) && options.serverErrorRate && random() < options.serverErrorRate) {
      stats.serverErrors++;
      return { respond: serverError(kind) };
    }
    if (faultable(kind) && kind.write && options.lostResponseRate && random() < options.lostResponseRate) {
      stats.lostResponses++;
      return { loseResponse: serverError(kind) };
    }
    return {};
  };

  return {
    stats,
    async before(kind) {
      if (options.latencyMs) await sleep(options.latencyMs);
      return decide(kind);
    },
    after(kind, status, body) {
      if (status >= 300 || !kind.functionName) return undefined;
      if (UPDATES.has(kind.operation) || kind.operation === 'CreateFunction') tracker.record(kind.functionName, kind.operation === 'CreateFunction');
      const window = options.inProgressAfterUpdateMs;
      const recent = window ? tracker.within(kind.functionName, window) : undefined;
      if (!recent || !(READS_OF_A_FUNCTION.has(kind.operation) || UPDATES.has(kind.operation) || kind.operation === 'CreateFunction')) return undefined;
      stats.inProgressViews++;
      return showInProgress(body, recent.created);
    },
  };
}

function unsupportedMode(kind: RequestKind, modes: FaultOptions['unsupportedConditions']): UnsupportedCondition | undefined {
  if (kind.operation === 'DeleteObject' && kind.condition === 'If-Match') return modes?.delete;
  if (kind.operation === 'PutObject' && kind.condition === 'If-None-Match') return modes?.put;
  return undefined;
}

function serverError(kind: RequestKind): InjectedResponse {
  return kind.service === 's3' ? { status: 503, name: 'SlowDown', message: 'Please reduce your request rate.' } : { status: 500, name: 'ServiceException', message: 'Injected internal failure' };
}

/** Rewrites a function's configuration (bare, or under `Configuration` in GetFunction) as real Lambda shows it mid-update. */
function showInProgress(body: Buffer, created: boolean): Buffer | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const config = (parsed.Configuration ?? parsed) as Record<string, unknown>;
  if (created) {
    config.State = 'Pending';
    config.StateReason = 'The function is being created.';
  } else {
    config.LastUpdateStatus = 'InProgress';
    config.LastUpdateStatusReason = 'The function is being updated.';
  }
  return Buffer.from(JSON.stringify(parsed));
}
