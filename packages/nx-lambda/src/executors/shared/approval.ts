import { openSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { ReadStream, WriteStream } from 'node:tty';
import { DeployError } from '@vectora/lambda-deploy';
import { runWritesToTerminal } from './nx-context';
import { stdoutIo, type TaskIo } from './task-io';
import { TaskScope } from './task-scope';

interface Terminal {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  close(): void;
}

/**
 * For environments with `requireApproval`: after the plan is printed, ask on a terminal; without one
 * (CI, or Nx running tasks without a TTY) refuse unless `--yes` was given. Never a silent yes.
 * A task in a batch has its lines held until it ends, so it asks on the controlling terminal
 * instead, showing the plan it is asking about; the tasks of a batch ask one at a time.
 */
export function approvalFor(environment: string, project: string, yes: boolean, io: TaskIo = stdoutIo, scope: TaskScope = new TaskScope()): ((writes: number) => Promise<void>) | undefined {
  if (yes) return undefined;
  const turns = scope.once('approval-turns', () => ({ last: Promise.resolve() }));
  return async (writes) => {
    const terminal = io.buffered ? controllingTerminal() : processTerminal();
    if (!terminal) {
      throw new DeployError('APPROVAL_REQUIRED', `${project}: ${environment} requires approval for ${writes} planned write(s) and there is no terminal to ask`, `review the plan with --dry-run, then rerun with --yes`);
    }
    const mine = turns.last.then(() => ask(terminal, io, environment, project, writes));
    turns.last = mine.catch(() => undefined);
    return mine;
  };
}

async function ask(terminal: Terminal, io: TaskIo, environment: string, project: string, writes: number): Promise<void> {
  if (io.buffered) terminal.output.write(io.held());
  const prompt = createInterface({ input: terminal.input, output: terminal.output });
  try {
    const answer = await prompt.question(`[${project}] apply ${writes} write(s) to ${environment}? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new DeployError('NOT_APPROVED', `${project}: not approved, nothing written`, 'rerun and answer y to apply the plan');
  } finally {
    prompt.close();
    terminal.close();
  }
}

/** This process's own stdin/stdout, when both are a terminal (a task Nx runs on a pseudo-terminal). */
function processTerminal(): Terminal | undefined {
  if (!(process.stdin.isTTY && process.stdout.isTTY)) return undefined;
  return { input: process.stdin, output: process.stdout, close: () => undefined };
}

/** The user's terminal behind Nx, when the run is attached to one (never in CI). */
function controllingTerminal(): Terminal | undefined {
  if (runWritesToTerminal() !== true) return undefined;
  try {
    const input = new ReadStream(openSync('/dev/tty', 'r'));
    const output = new WriteStream(openSync('/dev/tty', 'w'));
    return {
      input,
      output,
      close: () => {
        input.destroy();
        output.destroy();
      },
    };
  } catch {
    return undefined;
  }
}
