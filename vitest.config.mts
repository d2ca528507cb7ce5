import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // Unit tests run the sources; the real `nx` CLI in the e2e tests loads the compiled packages.
  resolve: {
    alias: {
      '@vectora/lambda-deploy': source('./packages/lambda-deploy/src/index.ts'),
      '@vectora/local-aws': source('./packages/local-aws/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.spec.ts', 'packages/*/test/**/*.spec.ts', 'tools/*/src/**/*.spec.ts', 'tests/**/*.spec.ts'],
    globalSetup: ['packages/local-aws/test/global-setup.ts'],
    testTimeout: 60_000,
    // The first run installs moto into .local-aws/venv: allow for a slow PyPI.
    hookTimeout: 300_000,
    // Two cores: more workers only fight over them (e2e tests run nx, which forks its own tasks).
    maxWorkers: 2,
    // The pinned SDK works on Node 20; its upgrade notice would only clutter test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
