/** Builds the weekly digest teaser: the scored items of the window, newest first. */
import ms from 'ms'; // node-deps layer

export interface DigestItem {
  title: string;
  published_at: string;
  score?: number;
}

export interface DigestEvent {
  items?: DigestItem[];
  /** How far back the digest looks, in ms's notation ("7d", "36h"); DIGEST_WINDOW or 7d otherwise. */
  window?: string;
}

export async function handler(event: DigestEvent): Promise<{ statusCode: number; body: string }> {
  const window = event.window ?? process.env.DIGEST_WINDOW ?? '7d';
  // Any text may arrive here: ms gives undefined (not a number) for one that is not a duration.
  const windowMs: number | undefined = ms(window as ms.StringValue);
  if (typeof windowMs !== 'number' || !(windowMs > 0)) {
    return { statusCode: 400, body: JSON.stringify({ error: `window "${window}" is not a duration such as 7d or 36h` }) };
  }
  const now = Date.now();
  const items = (event.items ?? [])
    .map((item) => ({ ...item, at: Date.parse(item.published_at) }))
    .filter((item) => item.at <= now && now - item.at <= windowMs)
    .sort((a, b) => b.at - a.at)
    .map((item) => ({ title: item.title, score: item.score ?? 0, age: `${ms(now - item.at)} ago` }));
  return { statusCode: 200, body: JSON.stringify({ window: ms(windowMs, { long: true }), count: items.length, items }) };
}
