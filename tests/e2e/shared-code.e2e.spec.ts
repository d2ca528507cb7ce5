// @module-tag e2e
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../packages/local-aws/src/local-credentials';
import { EmulatorLambda, NxWorkspace } from './nx-workspace';

const shared = (handler: string, extra: object = {}) => JSON.stringify({ runtime: 'python3.12', handler, source: '../../services/cart', layers: ['vectora-core'], ...extra }, null, 2);
/** Every file a run left under dist/deploy (the JSON task reports and summaries), as one text. */
const reports = (dir: string): string =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
/** The project names a `nx show projects` run printed, sorted. */
const projectsIn = (output: string) => output.split('\n').map((line) => line.trim()).filter((line) => /^[\w-]+$/.test(line)).sort();

describe('a code folder shared by several functions, through the real nx CLI', () => {
  it('nx affected maps a change there to exactly the functions using it, and their deploy ships it (an SSM value in between, never printed or reported)', async () => {
    const ws = new NxWorkspace(inject('motoEndpoint'), `shared${process.pid % 10000}`);
    ws.write('services/cart/cart_get.py', 'from common import TABLE\ndef handler(e, c):\n    return TABLE\n');
    ws.write('services/cart/cart_put.py', 'from common import TABLE\ndef handler(e, c):\n    return TABLE\n');
    ws.write('services/cart/common.py', 'TABLE = "cart"\n');
    ws.write('services/unrelated/readme.txt', 'not code of any function\n');
    ws.write('lambdas/cart-get/function.json', shared('cart_get.handler'));
    // cart-put reads its table name from SSM (a SecureString, to show it is decrypted and never printed).
    const secret = `s3cr3t-table-${process.pid}`;
    await new SSMClient(localAwsClientConfig(inject('motoEndpoint'))).send(new PutParameterCommand({ Name: `/${ws.prefix}/local/table`, Value: secret, Type: 'SecureString', Overwrite: true }));
    ws.write('lambdas/cart-put/function.json', shared('cart_put.handler', { environment: { TABLE: { ssm: '/{prefix}/{env}/table' } } }));
    ws.commit('two functions on one shared code folder');

    const affected = await ws.nx(['show', 'projects', '--affected', '--files=services/cart/common.py']);
    expect(affected.status, affected.output).toBe(0);
    expect(projectsIn(affected.output)).toEqual(['cart-get', 'cart-put']);
    const none = await ws.nx(['show', 'projects', '--affected', '--files=services/unrelated/readme.txt']);
    expect(projectsIn(none.output)).toEqual([]);

    const deployed = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local', '-p', 'cart-get', 'cart-put']);
    expect(deployed.status, deployed.output).toBe(0);
    const lambda = new EmulatorLambda(inject('motoEndpoint'));
    const code = async (project: string) => (await lambda.client.send(new GetFunctionCommand({ FunctionName: ws.awsName(project) }))).Configuration!;
    const before = await code('cart-get');
    expect(before.Handler).toBe('cart_get.handler');
    expect((await code('cart-put')).Environment?.Variables).toEqual({ TABLE: secret });
    // The JSON task report's plan names the parameter and its version, not the value.
    expect(reports(join(ws.root, 'dist', 'deploy'))).toMatch(new RegExp(`"ssm": "/${ws.prefix}/local/table",\\s*"version": 1`));
    expect(deployed.output + reports(join(ws.root, 'dist', 'deploy'))).not.toContain(secret);

    // An uncommitted edit in the shared folder: affected repackages and redeploys both, nothing else.
    ws.write('services/cart/common.py', 'TABLE = "cart-v2"\n');
    const run = await ws.nx(['affected', '-t', 'deploy', '-c', 'local']);
    expect(run.status, run.output).toBe(0);
    const status = await ws.nx(['run', 'cart-put:status', '-c', 'local']);
    expect(status.output).toContain('settings in sync');
    expect(run.output + status.output + reports(join(ws.root, 'dist', 'deploy'))).not.toContain(secret);
    const updated = new Set(run.output.split('\n').filter((line) => /^\[[\w-]+\] (plan )?update-code/.test(line)).map((line) => line.split(']')[0].slice(1)));
    expect([...updated].sort()).toEqual(['cart-get', 'cart-put']);
    expect(run.output).not.toMatch(/\[(ingest-v2|newsletter-v2|normalize-score-v2)\] (plan )?update-code/);
    const after = await code('cart-get');
    expect(after.CodeSha256).not.toBe(before.CodeSha256);
    expect(after.CodeSha256).toBe((await code('cart-put')).CodeSha256);
  });
});
