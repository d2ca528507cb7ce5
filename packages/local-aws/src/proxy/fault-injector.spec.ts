import { describe, expect, it } from 'vitest';
import type { RequestKind } from './classify-request';
import { createFaultInjector } from './fault-injector';

const update = (fn: string): RequestKind => ({ service: 'lambda', operation: 'UpdateFunctionConfiguration', write: true, functionName: fn });
const get = (fn: string): RequestKind => ({ service: 'lambda', operation: 'GetFunction', write: false, functionName: fn });
const ok = Buffer.from(JSON.stringify({ Configuration: { FunctionName: 'f', LastUpdateStatus: 'Successful', State: 'Active' } }));

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('fault injector', () => {
  it('throttles past N requests in any one second, and lets them through again a second later', async () => {
    const c = clock();
    const faults = createFaultInjector({ rateLimit: { perSecond: 3 }, now: c.now });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await faults.before(update(`f${i}`))).respond?.name);
    expect(answers).toEqual([undefined, undefined, undefined, 'TooManyRequestsException', 'TooManyRequestsException']);
    c.advance(1000);
    expect((await faults.before(update('f9'))).respond).toBeUndefined();
    expect(faults.stats.throttled).toBe(2);
  });

  it('does not rate-limit GetFunction, which has its own quota in Lambda', async () => {
    const faults = createFaultInjector({ rateLimit: { perSecond: 1 }, now: clock().now });
    for (let i = 0; i < 5; i++) expect((await faults.before(get('f'))).respond).toBeUndefined();
  });

  it('answers ResourceConflictException to a second update of the same function within the window only', async () => {
    const c = clock();
    const faults = createFaultInjector({ conflictAfterUpdateMs: 500, now: c.now });
    expect((await faults.before(update('f'))).respond).toBeUndefined();
    faults.after(update('f'), 200, ok);
    expect((await faults.before(update('f'))).respond?.name).toBe('ResourceConflictException');
    expect((await faults.before(update('g'))).respond).toBeUndefined();
    c.advance(500);
    expect((await faults.before(update('f'))).respond).toBeUndefined();
  });

  it('shows an updated function as InProgress to reads for a while, then as moto answers', () => {
    const c = clock();
    const faults = createFaultInjector({ inProgressAfterUpdateMs: 1000, now: c.now });
    const updated = faults.after(update('f'), 200, Buffer.from(JSON.stringify({ FunctionName: 'f', LastUpdateStatus: 'Successful' })));
    expect(JSON.parse(updated!.toString()).LastUpdateStatus).toBe('InProgress');
    expect(JSON.parse(faults.after(get('f'), 200, ok)!.toString()).Configuration.LastUpdateStatus).toBe('InProgress');
    c.advance(1000);
    expect(faults.after(get('f'), 200, ok)).toBeUndefined();
  });

  it('shows a created function as Pending', () => {
    const faults = createFaultInjector({ inProgressAfterUpdateMs: 1000, now: clock().now });
    const created = faults.after({ service: 'lambda', operation: 'CreateFunction', write: true, functionName: 'f' }, 201, Buffer.from('{"FunctionName":"f","State":"Active"}'));
    expect(JSON.parse(created!.toString()).State).toBe('Pending');
  });

  it('injects random faults at about the configured share, the same pattern for the same seed', async () => {
    const pattern = async (seed: number) => {
      const faults = createFaultInjector({ serverErrorRate: 0.3, seed });
      const out: boolean[] = [];
      for (let i = 0; i < 1000; i++) out.push(Boolean((await faults.before(update('f'))).respond));
      return out;
    };
    const first = await pattern(7);
    expect(await pattern(7)).toEqual(first);
    const share = first.filter(Boolean).length / first.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  it('loses responses of writes only, after they reach the emulator', async () => {
    const faults = createFaultInjector({ lostResponseRate: 1 });
    expect((await faults.before(update('f'))).loseResponse?.status).toBe(500);
    expect(await faults.before(get('f'))).toEqual({});
  });

  it('denies one operation on one function, as a missing permission would', async () => {
    const faults = createFaultInjector({ deny: [{ operation: 'UpdateFunctionConfiguration', functionName: 'f', error: { status: 403, name: 'AccessDeniedException', message: 'no' } }] });
    expect((await faults.before(update('f'))).respond?.name).toBe('AccessDeniedException');
    expect((await faults.before(update('g'))).respond).toBeUndefined();
  });

  it('plays a store without conditional deletes: 501, 400, or the If-Match header dropped; plain deletes and conditional puts pass', async () => {
    const conditionalDelete: RequestKind = { service: 's3', operation: 'DeleteObject', write: true, condition: 'If-Match' };
    const plainDelete: RequestKind = { service: 's3', operation: 'DeleteObject', write: true };
    const conditionalPut: RequestKind = { service: 's3', operation: 'PutObject', write: true, condition: 'If-None-Match' };
    const answer501 = createFaultInjector({ unsupportedConditions: { delete: 'answer-501' } });
    expect((await answer501.before(conditionalDelete)).respond).toMatchObject({ status: 501, name: 'NotImplemented' });
    expect(await answer501.before(plainDelete)).toEqual({});
    expect(await answer501.before(conditionalPut)).toEqual({});
    expect(answer501.stats.unsupportedConditions).toBe(1);
    const answer400 = createFaultInjector({ unsupportedConditions: { delete: 'answer-400' } });
    expect((await answer400.before(conditionalDelete)).respond).toMatchObject({ status: 400, name: 'InvalidArgument' });
    const ignore = createFaultInjector({ unsupportedConditions: { delete: 'ignore' } });
    expect(await ignore.before(conditionalDelete)).toEqual({ dropHeaders: ['if-match'] });
    expect(await ignore.before(plainDelete)).toEqual({});
  });

  it('plays a store without conditional writes the same way', async () => {
    const conditionalPut: RequestKind = { service: 's3', operation: 'PutObject', write: true, condition: 'If-None-Match' };
    expect((await createFaultInjector({ unsupportedConditions: { put: 'answer-501' } }).before(conditionalPut)).respond?.status).toBe(501);
    expect(await createFaultInjector({ unsupportedConditions: { put: 'ignore' } }).before(conditionalPut)).toEqual({ dropHeaders: ['if-none-match'] });
  });

  it('fails exactly the listed calls of one operation, before or after the write, and nothing else', async () => {
    const publish: RequestKind = { service: 'lambda', operation: 'PublishLayerVersion', write: true };
    const faults = createFaultInjector({ failCalls: [{ operation: 'PublishLayerVersion', calls: [2, 3], fault: 'lose' }, { operation: 'DeleteLayerVersion', calls: [1], fault: 'refuse' }] });
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await faults.before(publish));
    expect(decisions.map((d) => d.loseResponse?.status)).toEqual([undefined, 500, 500, undefined]);
    expect(decisions.some((d) => d.respond)).toBe(false);
    expect((await faults.before(update('f'))).respond).toBeUndefined();
    expect((await faults.before({ service: 'lambda', operation: 'DeleteLayerVersion', write: true })).respond?.status).toBe(500);
    expect(faults.stats).toMatchObject({ lostResponses: 2, serverErrors: 1 });
  });
});
