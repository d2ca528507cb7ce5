import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from './pacer';

afterEach(() => vi.useRealTimers());

describe('Pacer', () => {
  it('without burst, never lets more than rate + 1 requests into any one-second window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const pacer = new Pacer(14, 1);
    const granted: number[] = [];
    const all = Array.from({ length: 60 }, () => pacer.take().then(() => granted.push(performance.now())));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    for (const t of granted) expect(granted.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(15);
    // ...and keeps the rate: 60 requests take about 59/14 s.
    expect(granted[59] - granted[0]).toBeGreaterThan(4000);
    expect(granted[59] - granted[0]).toBeLessThan(4400);
  });

  it('serves callers in arrival order', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const pacer = new Pacer(5, 1);
    const order: number[] = [];
    const all = [0, 1, 2, 3].map((i) => pacer.take().then(() => order.push(i)));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3]);
  });
});
