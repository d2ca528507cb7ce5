// @module-tag e2e
import { closeSync, openSync, ftruncateSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsClientConfig } from '../../packages/local-aws/src/local-credentials';
import { NxWorkspace, PYTHON_FUNCTIONS as FUNCTIONS, startOwnAws, stopOwnAws, type OwnAws as Aws } from './nx-workspace';

let shared: Aws;
beforeAll(async () => {
  shared = await startOwnAws();
});
afterAll(() => stopOwnAws(shared));

interface BadInput {
  what: string;
  /** Breaks the fresh copy of the sample app (and, given its moto's endpoint, its AWS). */
  breakIt: (ws: NxWorkspace, endpoint: string) => void | Promise<void>;
  args?: string[];
  env?: Record<string, string>;
  /** What the user must read: the file and the line or key, and the fix. */
  expected: RegExp[];
  unexpected?: RegExp[];
  /**
   * Errors found while packaging stop that project and everything that depends on it, but Nx still
   * runs independent projects: then only these projects must see no write (default: no write at all).
   */
  untouched?: string[];
  /** The case changes AWS (it writes, or sets up what it breaks there): it gets a workspace, and a moto, of its own. */
  ownWorkspace?: boolean;
}


const DEPLOY = ['run-many', '-t', 'deploy', '-c', 'local'];
const editJson = (ws: NxWorkspace, path: string, edit: (json: Record<string, unknown>) => void) => {
  const json = JSON.parse(ws.read(path));
  edit(json);
  ws.write(path, JSON.stringify(json, null, 2));
};
const editEnvironments = (ws: NxWorkspace, edit: (envs: Record<string, Record<string, unknown>>) => void) =>
  editJson(ws, 'nx.json', (nx) => edit((nx.plugins as { options: { environments: Record<string, Record<string, unknown>> } }[])[0].options.environments));

const CASES: BadInput[] = [
  {
    what: 'a malformed VERSION line',
    breakIt: (ws) => ws.write('VERSION', 'vectora-core=1.4.2\ncommon-deps 1.1.0\nnode-deps=1.0.0\n'),
    expected: [/VERSION:2: "common-deps 1\.1\.0" is not of the form layer-name=semver/, /fix: write one `layer-name=1\.2\.3` per line/],
    unexpected: [/VERSION_MISSING/],
  },
  {
    what: 'a layer missing from VERSION',
    breakIt: (ws) => ws.write('VERSION', 'vectora-core=1.4.2\nnode-deps=1.0.0\n'),
    expected: [/VERSION: no version for layer common-deps/, /fix: add a line `common-deps=0\.1\.0` to VERSION/],
  },
  {
    what: 'the same layer twice in VERSION',
    breakIt: (ws) => ws.write('VERSION', 'vectora-core=1.4.2\ncommon-deps=1.1.0\nvectora-core=1.4.3\nnode-deps=1.0.0\n'),
    expected: [/VERSION:3: vectora-core is already set on line 1/, /fix: keep one line per layer/],
  },
  {
    what: 'two projects deploying to the same AWS name',
    breakIt: (ws) => editJson(ws, 'lambdas/newsletter-v2/function.json', (fn) => (fn.awsName = '{prefix}-ingest-v2-{env}')),
    expected: [/lambdas\/(newsletter|ingest)-v2\/function\.json: deploys to the function ".*-ingest-v2-local" in local, as lambdas\/(ingest|newsletter)-v2\/function\.json does/, /fix: give one of them a different "awsName"/],
  },
  {
    what: 'an unknown layer in function.json',
    breakIt: (ws) => editJson(ws, 'lambdas/ingest-v2/function.json', (fn) => (fn.layers = ['vectora-core', 'vectora-cor'])),
    expected: [/lambdas\/ingest-v2\/function\.json/, /vectora-cor\b/, /common-deps|vectora-core/],
  },
  {
    what: 'more than 5 layers',
    breakIt: (ws) => {
      for (const extra of ['l3', 'l4', 'l5', 'l6']) {
        ws.write(`layers/${extra}/layer.json`, JSON.stringify({ sources: 'src' }));
        ws.write(`layers/${extra}/src/${extra}.py`, 'X = 1\n');
      }
      ws.write('VERSION', `${ws.read('VERSION')}l3=1.0.0\nl4=1.0.0\nl5=1.0.0\nl6=1.0.0\n`);
      editJson(ws, 'lambdas/ingest-v2/function.json', (fn) => (fn.layers = ['vectora-core', 'common-deps', 'l3', 'l4', 'l5', 'l6']));
    },
    expected: [/lambdas\/ingest-v2\/function\.json: .*layers.*6.*5/, /fix:/],
  },
  {
    what: 'a layer over 250 MB unzipped',
    breakIt: (ws) => {
      // Sparse: 251 MB on paper, almost nothing on disk.
      const fd = openSync(join(ws.root, 'layers/vectora-core/src/vectora_core/model.bin'), 'w');
      ftruncateSync(fd, 251 * 1024 * 1024);
      closeSync(fd);
    },
    expected: [/layers\/vectora-core\/layer\.json: the layer is 251\.0 MB unzipped, over Lambda's 250\.0 MB limit/, /fix: .*excludes/, /ingest-v2 +not run +vectora-core:(build|package) failed/],
    untouched: ['vectora-core', ...FUNCTIONS],
    ownWorkspace: true,
  },
  {
    what: 'a symlink escaping the layer',
    breakIt: (ws) => symlinkSync('/etc/passwd', join(ws.root, 'layers/vectora-core/src/vectora_core/passwd')),
    expected: [/SYMLINK_ESCAPES/, /vectora_core\/passwd/, /fix:/, /ingest-v2 +not run +vectora-core:(build|package) failed/],
    untouched: ['vectora-core', ...FUNCTIONS],
    ownWorkspace: true,
  },
  {
    what: 'no environment given',
    breakIt: () => {},
    args: ['run-many', '-t', 'deploy'],
    expected: [/ENVIRONMENT_MISSING: no environment given/, /fix: run with -c <environment>, one of: local, dev, staging, prod/],
  },
  {
    what: 'an environment with no region',
    breakIt: (ws) => editEnvironments(ws, (envs) => delete envs.dev.region),
    args: ['run-many', '-t', 'deploy', '-c', 'dev'],
    env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' },
    expected: [/nx\.json.*environments\.dev: no region/, /fix: add "region"/],
  },
  {
    what: 'no credentials for a real account',
    breakIt: () => {},
    args: ['run-many', '-t', 'deploy', '-c', 'dev'],
    env: { AWS_ENDPOINT_URL: '', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' },
    expected: [/credentials/i, /fix: .*(AWS_PROFILE|aws sso login)/],
  },
  {
    what: 'an artifact bucket in another region',
    breakIt: async (ws, endpoint) => {
      const s3 = new S3Client({ ...localAwsClientConfig(endpoint), region: 'us-west-2' });
      await s3.send(new CreateBucketCommand({ Bucket: `${ws.prefix}-artifacts-dev`, CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    },
    args: ['run-many', '-t', 'deploy', '-c', 'dev'],
    ownWorkspace: true,
    expected: [/BUCKET_WRONG_REGION: s3:\/\/.*-artifacts-dev is in us-west-2, the environment deploys to eu-west-1/, /fix: .*region/],
  },
  {
    what: 'a JSON syntax error',
    breakIt: (ws) => ws.write('lambdas/ingest-v2/function.json', '{\n  "runtime": "python3.12",\n  "handler": "handler.handler",\n}\n'),
    expected: [/lambdas\/ingest-v2\/function\.json:4:1/, /fix:/],
  },
  {
    what: 'a requirements.txt that pip cannot resolve',
    breakIt: (ws) => ws.write('layers/common-deps/requirements.txt', 'python-dateutil==2.9.0.post0\nno-such-package-vectora==9.9.9\n'),
    expected: [/PIP_FAILED/, /layers\/common-deps\/requirements\.txt: pip could not install .*No matching distribution found for no-such-package-vectora==9\.9\.9/, /fix:/, /ingest-v2 +not run +common-deps:(install|build|package) failed/],
    untouched: ['common-deps', ...FUNCTIONS],
    ownWorkspace: true,
  },
];

/**
 * One workspace for the cases that must write nothing, each starting from the sample app restored from
 * git: no case leaves anything in AWS (each asserts it), so every case still meets an environment where
 * a run that got past the check would create everything, and Nx replays what an earlier case packaged.
 */
let unwritten: NxWorkspace | undefined;
const workspaceFor = (bad: BadInput, aws: Aws): NxWorkspace => {
  if (bad.ownWorkspace) return new NxWorkspace(aws.proxy.endpoint);
  unwritten ??= new NxWorkspace(aws.proxy.endpoint);
  unwritten.restore();
  return unwritten;
};

describe('bad input: a clear error naming the file and key or line, with the fix, and no AWS write', () => {
  it.each(CASES)('$what', async (bad) => {
    const aws = bad.ownWorkspace ? await startOwnAws() : shared;
    try {
      const ws = workspaceFor(bad, aws);
      await bad.breakIt(ws, aws.moto.endpoint);
      const before = aws.proxy.requests.length;
      const run = await ws.nx(bad.args ?? DEPLOY, bad.env);
      expect(run.status, run.output).not.toBe(0);
      for (const pattern of bad.expected) expect(run.output).toMatch(pattern);
      for (const pattern of bad.unexpected ?? []) expect(run.output).not.toMatch(pattern);
      const writes = aws.proxy.requests.slice(before).filter((r) => r.write);
      if (bad.untouched) {
        for (const project of bad.untouched) expect(writes.filter((r) => r.path.includes(`-${project}-`) || r.path.includes(`/${project}/`)), project).toEqual([]);
      } else {
        expect(writes).toEqual([]);
      }
    } finally {
      if (aws !== shared) await stopOwnAws(aws);
    }
  });
});
