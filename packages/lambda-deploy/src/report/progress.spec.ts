import { describe, expect, it } from 'vitest';
import { byteProgress } from './progress';

describe('byteProgress', () => {
  it('prints at most once per interval, never for small totals nor at completion', () => {
    let t = 0;
    const lines: string[] = [];
    const report = byteProgress((line) => lines.push(line), '[core] uploading', { intervalMs: 1000, now: () => t });
    const total = 48 * 1048576;
    t = 500;
    report(12 * 1048576, total);
    t = 1000;
    report(12 * 1048576, total);
    t = 1500;
    report(24 * 1048576, total);
    t = 2100;
    report(total, total);
    report(1, 1024);
    expect(lines).toEqual(['[core] uploading 12.0/48.0 MB (25%)']);
  });
});
