import { setTimeout as sleep } from 'node:timers/promises';
import { mkdir, rm, stat } from 'node:fs/promises';

/**
 * Cross-process lock on a directory name (mkdir is atomic): several Nx tasks or vitest workers may
 * all want the venv at once, and only one may create it. A lock older than `staleMs` is from a
 * killed process and is broken.
 */
export async function withDirLock<T>(lockDir: string, run: () => Promise<T>, opts: { staleMs?: number; timeoutMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > (opts.staleMs ?? 300_000)) await rm(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}; delete it if no other process is installing`);
      else await sleep(250);
    }
  }
  try {
    return await run();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
