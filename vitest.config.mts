import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.spec.ts', 'packages/*/test/**/*.spec.ts', 'tools/*/src/**/*.spec.ts', 'tools/*/test/**/*.spec.ts', 'tests/**/*.spec.ts'],
    globalSetup: ['tools/local-aws/test/global-setup.ts'],
    testTimeout: 60_000,
    // The first run installs moto into .local-aws/venv: allow for a slow PyPI.
    hookTimeout: 300_000,
    // Two cores: more workers only fight over them (e2e tests run nx, which forks its own tasks).
    maxWorkers: 2,
    // The pinned SDK works on Node 20; its upgrade notice would only clutter test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
