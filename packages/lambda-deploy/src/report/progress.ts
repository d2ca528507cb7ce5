/** Only steps over this size report progress: smaller ones end before a line would help. */
export const PROGRESS_MIN_BYTES = 5 * 1024 * 1024;

/**
 * A byte-progress callback that prints `<label> 12.0/48.0 MB (25%)` at most once per interval, and
 * nothing for small totals. Meant for terminals only: logs in CI stay one line per step.
 */
export function byteProgress(print: (line: string) => void, label: string, options: { intervalMs?: number; now?: () => number } = {}): (done: number, total: number) => void {
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 1000;
  let last = now();
  return (done, total) => {
    if (total < PROGRESS_MIN_BYTES || done >= total || now() - last < interval) return;
    last = now();
    const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
    print(`${label} ${mb(done)}/${mb(total)} MB (${Math.floor((done / total) * 100)}%)`);
  };
}
