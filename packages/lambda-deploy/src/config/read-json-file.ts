import { readFileSync } from 'node:fs';
import { DeployError } from '../errors';

/** Line and column (1-based) of a character offset, so JSON errors point at the spot in the file. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** JSON.parse with an error that names the file, line and column instead of a bare offset. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? lineAndColumn(text, Number(position[1])) : undefined;
    const at = where ? `:${where.line}:${where.column}` : '';
    throw new DeployError(
      'JSON_SYNTAX',
      `${file}${at}: invalid JSON (${message.replace(/ in JSON at position \d+.*$/, '')})`,
      'fix the JSON syntax at that line (trailing commas and comments are not allowed)',
      error,
    );
  }
}

export function readJsonFile(absPath: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (error) {
    throw new DeployError('FILE_UNREADABLE', `${label}: cannot be read (${(error as NodeJS.ErrnoException).code})`, 'check that the file exists and is readable', error);
  }
  return parseJson(text, label);
}
