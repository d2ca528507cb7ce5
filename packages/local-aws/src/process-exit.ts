import { setTimeout as sleep } from 'node:timers/promises';

/** True while `pid` exists (EPERM: it exists, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM (moto exits at once on it), then SIGKILL if it is still there after a while. */
export async function terminate(pid: number): Promise<void> {
  signal(pid, 'SIGTERM');
  if (await exitedWithin(pid, 10_000)) return;
  signal(pid, 'SIGKILL');
  if (!(await exitedWithin(pid, 10_000))) throw new Error(`local AWS: the emulator (pid ${pid}) did not exit after SIGKILL`);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function exitedWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}
