import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessMeasure {
  wallSeconds: number;
  /** Peak resident set of the process, as the kernel's rusage reports it to GNU time. */
  maxRssBytes: number;
  stdout: string;
}

/**
 * Runs a command under GNU time for its peak RSS: the kernel's own figure for any program,
 * native or Node, where polling /proc could miss a short-lived peak.
 */
export async function runMeasured(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ProcessMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const timeFile = join(dir, 'time.txt');
  try {
    const started = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, command, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
    });
    const wallSeconds = (performance.now() - started) / 1000;
    return { wallSeconds, maxRssBytes: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) * 1024, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
