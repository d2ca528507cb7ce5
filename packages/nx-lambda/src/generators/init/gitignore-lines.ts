/** What init keeps out of git: the emulator's venv and state, and every build and deploy output. */
export const IGNORED_PATHS = ['.local-aws/', 'dist/'];

const COMMENT = '# @vectora/nx-lambda: the local AWS emulator (venv, state) and build/deploy output';

/**
 * `.gitignore` with the missing IGNORED_PATHS appended; null when it already ignores them all. A line
 * that ignores the same root folder in another spelling (`/dist`, `dist`) counts as present.
 */
export function withIgnoredPaths(existing: string | null): string | null {
  const text = existing ?? '';
  const present = new Set(text.split(/\r?\n/).map(normalize));
  const missing = IGNORED_PATHS.filter((path) => !present.has(normalize(path)));
  if (missing.length === 0) return null;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' ? '' : text.endsWith('\n') ? eol : `${eol}${eol}`;
  return `${text}${separator}${[COMMENT, ...missing].join(eol)}${eol}`;
}

function normalize(line: string): string {
  return line.trim().replace(/^\//, '').replace(/\/$/, '');
}
