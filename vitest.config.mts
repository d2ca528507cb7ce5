import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/**
 * Longest first, without relying on vitest's timings (a fresh clone, as in CI, has none): the soak (the
 * longest file outside the e2e specs, 35-47 s, paced by its injected faults and rate limit), the e2e
 * specs (a minute or so each), the engine's other tests against moto (a package's test/ folder), then
 * the short unit files, so the workers finish together on those instead of one worker running a long
 * file alone at the end. Within each group, vitest's own order (slowest and failed first once it has
 * timings, else the largest file first).
 */
const LONG_FIRST = [
  (file: string) => file.endsWith('/packages/lambda-deploy/test/soak.spec.ts'),
  (file: string) => file.includes('/tests/e2e/'),
  (file: string) => /\/packages\/[^/]+\/test\//.test(file),
];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const group = LONG_FIRST.findIndex((matches) => matches(file.moduleId));
      return group === -1 ? LONG_FIRST.length : group;
    };
    // Array.prototype.sort is stable: vitest's order holds within a group.
    return sorted.sort((a, b) => rank(a) - rank(b));
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
    sequence: { sequencer: LongFirst },
    // Four workers on two cores: most of a test's time is spent waiting (on moto, on the nx processes an
    // e2e spec starts, on retries and bakes), not computing. `vitest run` on 2 idle cores, 2026-12-02,
    // one run each: 2 workers about 356 s (383 s with moto's first install), 3 293 s, 4 260 s, 6 285 s (the
    // nx processes start to fight over the cores).
    maxWorkers: 4,
    // A worker runs its files one after another in one process and module graph, instead of a new
    // process per file: vitest's start-up and the imports (the AWS SDK, the engine) were paid 106 times.
    // Unit tests alone, 2 idle cores, 2026-12-02: 120 s of CPU isolated, 83 s not (85 s and 68 s wall).
    // What this asks of a test file: put back what it changes in the process (process.env, timers,
    // spies; each file does, in afterEach/afterAll or finally) and no vi.mock of a module another file
    // imports (there is none). Checked with `--sequence.shuffle.files` under two seeds: no order dependence.
    isolate: false,
    // The SDK's "releases after January 2027 need Node 22" notice: true on Node 20 and said in the
    // README; in test output it would repeat once per worker. It is never printed on 22 and later.
    env: NODE_MAJOR === 20 ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {},
  },
});
