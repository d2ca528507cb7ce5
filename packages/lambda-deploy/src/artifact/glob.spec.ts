import { describe, expect, it } from 'vitest';
import { globToRegExp } from './glob';

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
