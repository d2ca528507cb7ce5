import type { StepEvent, StepOutcome } from './events';

const COLORS: Record<StepOutcome, string> = { done: '32', unchanged: '2', warning: '33', failed: '31', planned: '36', info: '0' };

export interface RenderOptions {
  color: boolean;
}

/** Colour only when writing to a terminal and NO_COLOR is unset: logs in CI files stay plain text. */
export function shouldUseColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** `[project] message (1.2s)`: one line per step. */
export function renderEvent(event: StepEvent, options: RenderOptions): string {
  const duration = event.durationMs !== undefined && event.durationMs >= 50 ? ` (${formatDuration(event.durationMs)})` : '';
  const prefix = event.outcome === 'warning' ? 'warning: ' : event.outcome === 'failed' ? 'error: ' : '';
  const text = `${prefix}${event.message}${duration}`;
  const body = options.color ? `\u001b[${COLORS[event.outcome]}m${text}\u001b[0m` : text;
  return `[${event.project}] ${body}`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** `[project] ` before every line of a multi-line text, such as an error and its fix. */
export function prefixLines(project: string, text: string): string {
  return text
    .split('\n')
    .map((line) => `[${project}] ${line}`)
    .join('\n');
}
