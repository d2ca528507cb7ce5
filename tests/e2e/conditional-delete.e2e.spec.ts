// @module-tag e2e
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '../../packages/local-aws/src/local-credentials';
import type { MotoServer } from '../../packages/local-aws/src/moto-server';
import type { AwsProxy, RecordedRequest } from '../../packages/local-aws/src/proxy/aws-proxy';
import { createFaultInjector, type UnsupportedCondition } from '../../packages/local-aws/src/proxy/fault-injector';
import { EmulatorLambda, NxWorkspace, PYTHON_FUNCTIONS as FUNCTIONS, startOwnAws, stopOwnAws } from './nx-workspace';

const CORE_FILE = 'layers/vectora-core/src/vectora_core/scoring.py';
/** How each mode answers the conditional delete, as the proxy records it. */
const ANSWER: Record<UnsupportedCondition, { status: number; message?: string }> = {
  'answer-501': { status: 501, message: 'DeleteObject If-Match: 501 NotImplemented' },
  'answer-400': { status: 400, message: 'DeleteObject If-Match: 400 InvalidArgument' },
  ignore: { status: 204 },
};

let moto: MotoServer;
let proxy: AwsProxy;
let ws: NxWorkspace;
let aws: EmulatorLambda;
let s3: S3Client;
let revision = 0;

const coreVersions = () => aws.versionsOf(ws.awsName('vectora-core'));
const lockObjects = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: `${ws.prefix}-artifacts-local`, Prefix: 'locks/' }))).Contents ?? []).map((o) => o.Key);

/** The JSON report of the run's vectora-core deploy task, found through the path the summary prints. */
function coreReport(output: string): { awsCalls: Record<string, number>; retries: { retries: number } } {
  const dir = /reports: (\S+)/.exec(output)?.[1];
  expect(dir, output).toBeDefined();
  return JSON.parse(readFileSync(resolve(ws.root, dir!, 'vectora-core.deploy.json'), 'utf8'));
}

/** Changes vectora-core and deploys it (the cascade repoints the three functions); returns the run's log and its requests at the proxy. */
async function changeAndDeploy(): Promise<{ output: string; requests: RecordedRequest[] }> {
  revision++;
  ws.write(CORE_FILE, `${ws.read(CORE_FILE).replace(/\n# revision \d+\n$/, '\n')}\n# revision ${revision}\n`);
  const before = proxy.requests.length;
  const run = await ws.nx(['run', 'vectora-core:deploy', '-c', 'local']);
  expect(run.status, run.output).toBe(0);
  return { output: run.output, requests: proxy.requests.slice(before) };
}

beforeAll(async () => {
  ({ moto, proxy } = await startOwnAws());
  ws = new NxWorkspace(proxy.endpoint);
  aws = new EmulatorLambda(moto.endpoint);
  s3 = new S3Client(localAwsClientConfig(moto.endpoint));
  const first = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
  expect(first.status, first.output).toBe(0);
});
afterAll(() => stopOwnAws({ moto, proxy }));

describe('publishing on an S3-compatible store without conditional deletes never wedges: no manual step, no duplicate, no lock left, no retry', () => {
  it.each(['answer-501', 'answer-400', 'ignore'] as UnsupportedCondition[])('conditional DeleteObject %s: publish, change, publish, change, publish', async (mode) => {
    proxy.faults = createFaultInjector({ unsupportedConditions: { delete: mode } });
    for (let round = 0; round < 3; round++) {
      const versionsBefore = (await coreVersions()).length;
      const { output, requests } = await changeAndDeploy();
      const published = (await coreVersions()).length;
      expect(published, output).toBe(versionsBefore + 1);
      expect(output).toContain(`[vectora-core] published version ${published} `);

      // The refused call is sent once per run (one session) and never again: not retried.
      const conditional = requests.filter((r) => r.operation === 'DeleteObject' && r.condition === 'If-Match');
      expect(conditional.map((r) => r.status)).toEqual([ANSWER[mode].status]);
      const report = coreReport(output);
      expect(report.retries.retries).toBe(0);
      // The tool's own count of its calls agrees with what the proxy saw.
      expect(report.awsCalls['s3:DeleteObject']).toBe(requests.filter((r) => r.operation === 'DeleteObject').length);
      expect(await lockObjects()).toEqual([]);

      // No lock was ever left for a later run to break; the release says how it went, inside the publish step.
      expect(output).not.toContain('removed a stale publish lock');
      const lines = output.split('\n').filter((line) => line.startsWith('[vectora-core] '));
      const released = lines.findIndex((line) => line.includes('released the publish lock'));
      if (ANSWER[mode].message) {
        expect(released, output).toBeLessThan(lines.findIndex((line) => line.includes('published version')));
        expect(lines[released]).toContain(`the store refused a conditional delete, ${ANSWER[mode].message}`);
      } else {
        expect(released, output).toBe(-1);
      }
    }
    const versions = await coreVersions();
    expect(new Set(versions.map((v) => v.Description)).size).toBe(versions.length);
    const newest = versions.reduce((a, b) => (a.Version! > b.Version! ? a : b));
    for (const fn of FUNCTIONS) expect((await aws.layersOf(ws.awsName(fn)))[0], fn).toBe(newest.LayerVersionArn);
  });
});
