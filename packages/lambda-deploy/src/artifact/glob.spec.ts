import { describe, expect, it } from 'vitest';
import { excludeMatcher, globToRegExp } from './glob';

const matches = (pattern: string, path: string) => globToRegExp(pattern).test(path);

describe('globToRegExp', () => {
  it('matches a bare name at any depth, and everything below a matched folder', () => {
    expect(matches('*.md', 'README.md')).toBe(true);
    expect(matches('*.md', 'docs/guide.md')).toBe(true);
    expect(matches('docs', 'docs/a/b.txt')).toBe(true);
    expect(matches('*.md', 'readme.mdx')).toBe(false);
  });

  it('anchors patterns with a slash at the root; ** spans folders, * does not', () => {
    expect(matches('vendor/*.so', 'vendor/x.so')).toBe(true);
    expect(matches('vendor/*.so', 'lib/vendor/x.so')).toBe(false);
    expect(matches('vendor/*.so', 'vendor/sub/x.so')).toBe(false);
    expect(matches('vendor/**/*.so', 'vendor/sub/deep/x.so')).toBe(true);
    expect(matches('**/*.pyi', 'a/b/c.pyi')).toBe(true);
    expect(matches('file?.txt', 'file1.txt')).toBe(true);
    expect(matches('a.b', 'aXb')).toBe(false);
  });
});

describe('excludeMatcher', () => {
  it('decides as globToRegExp does on the whole path, for a walk that skips excluded folders', () => {
    const patterns = ['*.md', 'tests', 'vendor/*.so', '**/*.pyi', 'docs/', 'a**b'];
    const excluded = excludeMatcher(patterns);
    // Paths whose folders are not excluded themselves: the walk only asks about those.
    const paths = ['README.md', 'src/guide.md', 'src/tests', 'src/testsuite.py', 'vendor/x.so', 'lib/vendor/x.so', 'x/y/z.pyi', 'docs', 'src/docs', 'aXb', 'a/q/b', 'src/mod.py'];
    for (const path of paths) {
      const expected = patterns.some((pattern) => globToRegExp(pattern).test(path));
      expect({ path, excluded: excluded(path, path.split('/').pop()!) }).toEqual({ path, excluded: expected });
    }
  });
});
