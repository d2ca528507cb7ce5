/**
 * Glob patterns for `excludes`, matched against posix paths relative to the project folder:
 * `**` spans folders, `*` and `?` stay within one name. A pattern without a slash matches a name at
 * any depth (like .gitignore), and a pattern matching a folder excludes everything below it.
 */
export function globToRegExp(pattern: string): RegExp {
  const anchored = pattern.includes('/') && !pattern.startsWith('**/');
  const body = pattern.replace(/^\.\//, '').replace(/\/$/, '');
  let source = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '*' && body[i + 1] === '*') {
      const slash = body[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${source}(?:/.*)?$`);
}

export function matchesAny(path: string, patterns: RegExp[]): boolean {
  return patterns.some((pattern) => pattern.test(path));
}

/**
 * Excludes for a walk that goes folder by folder and skips an excluded folder whole: a pattern of
 * one name (no "/", no "**") can then only match the entry's own name, its folders having passed
 * already, so it is tested on the name alone. Tested on the whole path, such a pattern backtracks
 * over every "/" of it: ten of them took most of the listing of a 25,000-file layer.
 */
export function excludeMatcher(patterns: string[]): (path: string, name: string) => boolean {
  const isName = (pattern: string) => !pattern.includes('/') && !pattern.includes('**');
  const onName = patterns.filter(isName).map(globToRegExp);
  const onPath = patterns.filter((pattern) => !isName(pattern)).map(globToRegExp);
  return (path, name) => matchesAny(name, onName) || matchesAny(path, onPath);
}
