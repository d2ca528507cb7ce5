/**
 * Where a task's lines go. Run alone, a task owns its process's stdout; in a batch (many tasks, one
 * process) each task's lines are kept apart and handed to Nx as that task's own output, so the
 * per-project logs read the same either way.
 */
export interface TaskIo {
  print(line: string): void;
  /** True when the lines are held back (a batch): a prompt must then reach the user another way. */
  readonly buffered: boolean;
  /** The lines printed so far and not yet shown (a batch task's), e.g. the plan a prompt asks about. */
  held(): string;
}

export const stdoutIo: TaskIo = {
  print: (line) => process.stdout.write(`${line}\n`),
  buffered: false,
  held: () => '',
};

export class BufferedIo implements TaskIo {
  readonly buffered = true;
  private readonly lines: string[] = [];

  print(line: string): void {
    this.lines.push(line);
  }

  held(): string {
    return this.text();
  }

  text(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }
}
