import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonPackagesOf, pythonPackagesOfTree } from './python-packages';

describe('pythonPackagesOf: the top-level names a layer puts on sys.path', () => {
  it('lists packages, modules and extension modules under python/, leaving out metadata, scripts and other roots', () => {
    const paths = ['python/', 'python/yaml/__init__.py', 'python/_yaml.cpython-312-x86_64-linux-gnu.so', 'python/six.py', 'python/PyYAML-6.0.2.dist-info/RECORD', 'python/bin/normalizer', 'python/__pycache__/six.cpython-312.pyc', 'python/README.md', 'nodejs/node_modules/x/index.js', 'python/.hidden/a.py'];
    expect(pythonPackagesOf(paths).map((p) => p.name)).toEqual(['_yaml', 'six', 'yaml']);
  });

  it('takes versions from dist-info folders: by the names the distribution installed when known, else by its normalised name only', () => {
    const paths = ['python/dateutil/__init__.py', 'python/python_dateutil-2.9.0.post0.dist-info/RECORD', 'python/Boto_Core/__init__.py', 'python/boto_core-1.0.0.dist-info/RECORD'];
    expect(pythonPackagesOf(paths)).toEqual([{ name: 'Boto_Core', version: '1.0.0' }, { name: 'dateutil' }]);
    expect(pythonPackagesOf(paths, (d) => (d.startsWith('python_dateutil') ? ['dateutil'] : undefined))).toEqual([{ name: 'Boto_Core', version: '1.0.0' }, { name: 'dateutil', version: '2.9.0.post0' }]);
  });

  it('reads a built tree, with RECORD saying which names a distribution installed', () => {
    const tree = mkdtempSync(join(tmpdir(), 'py-packages-'));
    const write = (path: string, content: string) => {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), content);
    };
    try {
      write('python/dateutil/__init__.py', '');
      write('python/six.py', '');
      write('python/python_dateutil-2.9.0.post0.dist-info/RECORD', 'dateutil/__init__.py,sha256=x,1\npython_dateutil-2.9.0.post0.dist-info/RECORD,,\n');
      write('python/six-1.16.0.dist-info/RECORD', 'six.py,sha256=y,2\n__pycache__/six.cpython-312.pyc,,\n../../bin/x,,\n');
      write('python/shop/cart.py', '');
      expect(pythonPackagesOfTree(tree)).toEqual([{ name: 'dateutil', version: '2.9.0.post0' }, { name: 'shop' }, { name: 'six', version: '1.16.0' }]);
      expect(pythonPackagesOfTree(join(tree, 'none'))).toEqual([]);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
