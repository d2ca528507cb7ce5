// Unit test of the handler (vitest); never shipped: the package bundles only what the handler imports.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from './handler';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const items = [
  { title: 'Older than a week', published_at: '2026-11-20T12:00:00Z', score: 0.9 },
  { title: 'Two days old', published_at: '2026-11-28T12:00:00Z', score: 0.4 },
  { title: 'Three hours old', published_at: '2026-11-30T09:00:00Z', score: 0.7 },
];

describe('digest-v2', () => {
  beforeEach(() => vi.useFakeTimers({ now: NOW }));
  afterEach(() => vi.useRealTimers());

  it('keeps the items of the last 7 days, newest first, with their age', async () => {
    const response = await handler({ items });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      window: '7 days',
      count: 2,
      items: [
        { title: 'Three hours old', score: 0.7, age: '3h ago' },
        { title: 'Two days old', score: 0.4, age: '2d ago' },
      ],
    });
  });

  it('takes the window from the event', async () => {
    const response = await handler({ items, window: '1d' });
    expect(JSON.parse(response.body)).toMatchObject({ window: '1 day', count: 1 });
  });

  it('refuses a window that is not a duration', async () => {
    const response = await handler({ items, window: 'weekly' });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error).toContain('"weekly"');
  });
});
