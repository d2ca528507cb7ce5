/**
 * The package names a JavaScript or TypeScript module imports: static and dynamic `import`, `export
 * ... from`, `require`. A text scan, not a parse: the graph needs names only, must stay fast on every
 * Nx invocation and never fail on a file that does not compile; a name mentioned in a comment or
 * string that looks like an import at most adds an edge (a redeploy too many, never one too few).
 * Relative and absolute paths and `node:` builtins are not packages.
 */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"\n]+)\1/gm;

export function importedPackages(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(SPECIFIER)) {
    const name = packageNameOf(match[2]);
    if (name) names.add(name);
  }
  return [...names];
}

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`; undefined for a path or a builtin. */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  if (specifier.startsWith('@')) return parts.length >= 2 && parts[1] ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0] || undefined;
}
