import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/**
 * The e2e specs are four fifths of the suite's time, a minute or more each: started first, the two
 * workers finish together on the short unit files, instead of one worker running the last long e2e
 * spec alone. Within each group, vitest's own order (slowest and failed first once it has timings).
 */
class E2eFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const e2e = (file: TestSpecification) => file.moduleId.includes('/tests/e2e/');
    return [...sorted.filter(e2e), ...sorted.filter((file) => !e2e(file))];
  }
}

export default defineConfig({
  // Unit tests run the sources; the real `nx` CLI in the e2e tests loads the compiled packages.
  resolve: {
    alias: {
      '@vectora/lambda-deploy': source('./packages/lambda-deploy/src/index.ts'),
      '@vectora/local-aws': source('./packages/local-aws/src/index.ts'),
    },
  },
  test: {
    // lambdas/: the sample app's TypeScript function tests (where the function generator puts them).
    include: ['packages/*/src/**/*.spec.ts', 'packages/*/test/**/*.spec.ts', 'tools/*/src/**/*.spec.ts', 'tests/**/*.spec.ts', 'lambdas/*/src/**/*.spec.ts'],
    globalSetup: ['packages/local-aws/test/global-setup.ts'],
    // No wall-clock budget per test or hook: a loaded machine makes the suite slower, never red. Each
    // wait is bounded by what it waits for instead: every nx run by NX_RUN_HANG_MS (tests/e2e/
    // nx-workspace.ts, derived from the tool's own lock, update and retry limits), the engine's AWS
    // calls by its retry policy, moto's start by its own deadline, its first install by pip's network
    // timeouts. An await that nothing bounds (a promise that never settles, a socket that never
    // answers) is caught by the hang guard around each test run in scripts/test-node-versions.sh.
    testTimeout: 0,
    hookTimeout: 0,
    // `--tags-filter='!e2e'` runs everything but the e2e specs; scripts/test-node-versions.sh runs
    // `'!e2e || node-matrix'` on the Node versions that do not get the whole suite.
    tags: [
      { name: 'e2e', description: 'the real nx CLI on a throwaway workspace (tests/e2e, `// @module-tag e2e`)' },
      { name: 'node-matrix', description: 'an e2e test that CI also runs on the Node versions that do not get the whole suite' },
    ],
    sequence: { sequencer: E2eFirst },
    // Two cores: more workers only fight over them (e2e tests run nx, which forks its own tasks).
    maxWorkers: 2,
    // The SDK's "releases after January 2027 need Node 22" notice: true on Node 20 and said in the
    // README; in test output it would repeat once per worker. It is never printed on 22 and later.
    env: NODE_MAJOR === 20 ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {},
  },
});
