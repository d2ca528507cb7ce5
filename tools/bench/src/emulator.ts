import { join } from 'node:path';
import { startMotoServer, type MotoServer } from '../../../packages/local-aws/src/moto-server';
import { motoVenvDir } from '../../../packages/local-aws/src/venv';
import { startAwsProxy, type AwsProxy } from '../../../packages/local-aws/src/proxy/aws-proxy';
import { createFaultInjector, type ConfiguredFaults } from '../../../packages/local-aws/src/proxy/fault-injector';

/**
 * Lambda's control plane as the benches model it: 15 configuration updates per second per account,
 * about a second of InProgress after each update, 50 ms of latency on every request.
 */
export const LAMBDA_LIKE = { updatesPerSecond: 15, inProgressMs: 1_000, latencyMs: 50 };

export interface BenchEmulator {
  moto: MotoServer;
  /** A fresh proxy in front of moto with Lambda's limits, and its fault counters. */
  lambdaLike(): Promise<{ proxy: AwsProxy; faults: ConfiguredFaults }>;
  stop(): Promise<void>;
}

export async function startBenchEmulator(): Promise<BenchEmulator> {
  const moto = await startMotoServer({ venvDir: motoVenvDir(join(__dirname, '..', '..', '..')), log: (line) => process.stderr.write(`${line}\n`) });
  const proxies: AwsProxy[] = [];
  return {
    moto,
    async lambdaLike() {
      const faults = createFaultInjector({
        rateLimit: { perSecond: LAMBDA_LIKE.updatesPerSecond, operations: ['UpdateFunctionConfiguration', 'UpdateFunctionCode'] },
        inProgressAfterUpdateMs: LAMBDA_LIKE.inProgressMs,
        latencyMs: LAMBDA_LIKE.latencyMs,
      });
      const proxy = await startAwsProxy({ target: moto.endpoint, faults });
      proxies.push(proxy);
      return { proxy, faults };
    },
    async stop() {
      for (const proxy of proxies) await proxy.stop();
      await moto.stop();
    },
  };
}

export const seconds = (ms: number) => (ms / 1000).toFixed(2);
