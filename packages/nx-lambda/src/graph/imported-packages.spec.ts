import { describe, expect, it } from 'vitest';
import { importedPackages, packageNameOf } from './imported-packages';

describe('importedPackages', () => {
  it('names the packages of static, dynamic, re-export, side-effect and require imports, each once', () => {
    const source = [
      "import ms from 'ms';",
      "import { headline } from '@digest/format/headline';",
      "import type { Item } from \"@digest/types\";",
      "export { greet } from '@digest/format';",
      "import '@digest/polyfill';",
      "const lazy = await import('lazy-lib');",
      "const legacy = require( 'legacy-lib/sub' );",
      "import { local } from './local.mjs';",
      "import { readFileSync } from 'node:fs';",
      "import abs from '/opt/nodejs/node_modules/ms/index.js';",
    ].join('\n');
    expect(importedPackages(source).sort()).toEqual(['@digest/format', '@digest/polyfill', '@digest/types', 'lazy-lib', 'legacy-lib', 'ms']);
  });

  it('packageNameOf keeps the scope, drops subpaths, and is undefined for paths and builtins', () => {
    expect([packageNameOf('@a/b/c'), packageNameOf('a/b'), packageNameOf('@a'), packageNameOf('../x'), packageNameOf('node:path')]).toEqual(['@a/b', 'a', undefined, undefined, undefined]);
  });
});
