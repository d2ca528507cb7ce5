import { inject } from 'vitest';
import type { DeployContext } from '../src/deploy/deploy-context';
import { emulatorContext, type EmulatorContextOptions, type TestContext } from './emulator-workspace';

export * from './emulator-workspace';

let counter = 0;
/** A name prefix no other test uses: tests share one moto, so isolation is by name. */
export function uniquePrefix(label: string): string {
  return `t${process.pid % 10000}-${label}-${counter++}`;
}

/** A DeployContext against the test run's moto (or `endpoint`, e.g. a proxy in front of it). */
export function testContext(root: string, opts: Omit<EmulatorContextOptions, 'endpoint'> & { endpoint?: string }): TestContext {
  return emulatorContext(root, { ...opts, endpoint: opts.endpoint ?? inject('motoEndpoint') });
}

/** Writes other than bookkeeping: the publish lock (taken and released around every publish) and deploy-history entries. */
export function contentWrites(ctx: DeployContext) {
  return ctx.session.recorder.writes().filter((call) => !call.target?.startsWith('locks/') && !call.target?.startsWith('history/'));
}

