import { describe, expect, it } from 'vitest';
import { classifyError, isNotSupported } from './aws-error';
import { backoffDelay, newRetryStats, withRetry } from './retry';

const awsError = (name: string, status: number) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, maxTotalDelayMs: 1000 };

describe('retries', () => {
  it('sorts AWS failures: throttling, conflicts and 5xx are retried; validation and permissions are not', () => {
    expect(classifyError(awsError('TooManyRequestsException', 429))).toBe('throttled');
    expect(classifyError(awsError('ResourceConflictException', 409))).toBe('conflict');
    expect(classifyError(awsError('ServiceException', 500))).toBe('transient');
    expect(classifyError(awsError('Unknown', 503))).toBe('transient');
    expect(classifyError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(classifyError(awsError('AccessDeniedException', 403))).toBe('fatal');
    expect(classifyError(awsError('InvalidParameterValueException', 400))).toBe('fatal');
    // A store without a feature (e.g. conditional deletes) answers 501: retrying cannot change that.
    expect(classifyError(awsError('NotImplemented', 501))).toBe('fatal');
    expect(classifyError(awsError('Unknown', 501))).toBe('fatal');
  });

  it('tells "not supported" answers from other client errors', () => {
    expect(isNotSupported(awsError('NotImplemented', 501))).toBe(true);
    expect(isNotSupported(awsError('Unknown', 501))).toBe(true);
    expect(isNotSupported(awsError('InvalidArgument', 400))).toBe(true);
    expect(isNotSupported(Object.assign(new Error('Conditional deletes are not supported'), { name: 'BadRequest', $metadata: { httpStatusCode: 400 } }))).toBe(true);
    expect(isNotSupported(awsError('MalformedXML', 400))).toBe(false);
    expect(isNotSupported(awsError('AccessDenied', 403))).toBe(false);
    expect(isNotSupported(awsError('PreconditionFailed', 412))).toBe(false);
    expect(isNotSupported(awsError('InternalError', 500))).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 8000, maxTotalDelayMs: 90_000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(1598);
    expect(backoffDelay(9, policy, () => 0.999)).toBe(7992);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('retries until success and counts the retries by class', async () => {
    const stats = newRetryStats();
    let calls = 0;
    const result = await withRetry('op', async () => (++calls < 3 ? Promise.reject(awsError('TooManyRequestsException', 429)) : 'ok'), fast, stats);
    expect(result).toBe('ok');
    expect(stats).toMatchObject({ retries: 2, byClass: { throttled: 2 } });
  });

  it('fails at once on a fatal error, and with RETRIES_EXHAUSTED naming the attempts when the budget is spent', async () => {
    let calls = 0;
    await expect(withRetry('op', async () => { calls++; throw awsError('AccessDeniedException', 403); }, fast)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(calls).toBe(1);
    await expect(withRetry('lambda:UpdateFunctionConfiguration', async () => { throw awsError('ServiceException', 500); }, fast)).rejects.toMatchObject({
      code: 'RETRIES_EXHAUSTED',
      message: expect.stringMatching(/^lambda:UpdateFunctionConfiguration: still failing after 4 attempts .*transient: ServiceException happened/),
    });
  });
});
