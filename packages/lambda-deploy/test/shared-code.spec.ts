import { describe, expect, it } from 'vitest';
import { deployFunction } from '../src/deploy/deploy-function';
import { contentWrites, makeWorkspace, packageAll, testContext, uniquePrefix, writeFile } from './harness';

const shared = (handler: string) => JSON.stringify({ runtime: 'python3.12', handler, source: '../../services/cart' });

describe('a code folder shared by several functions (against moto)', () => {
  it('zips it for each function with its own handler, and an edit there moves exactly those functions', async () => {
    const root = makeWorkspace({
      'services/cart/cart_get.py': 'from common import TABLE\ndef handler(e, c):\n    return TABLE\n',
      'services/cart/cart_put.py': 'from common import TABLE\ndef handler(e, c):\n    return TABLE\n',
      'services/cart/common.py': 'TABLE = "cart"\n',
      'lambdas/cart-get/function.json': shared('cart_get.handler'),
      'lambdas/cart-put/function.json': shared('cart_put.handler'),
      'lambdas/other/function.json': JSON.stringify({ runtime: 'python3.12', handler: 'handler.handler' }),
      'lambdas/other/handler.py': 'def handler(e, c):\n    return 1\n',
    });
    const prefix = uniquePrefix('shared');
    const projects = ['cart-get', 'cart-put', 'other'];
    await packageAll(root);
    const ctx = testContext(root, { prefix });
    for (const project of projects) await deployFunction(ctx, project, { layersOnly: false });
    const state = async (project: string) => (await ctx.session.lambda.getFunction(`${prefix}-${project}-test`))!;
    const [get, put] = [await state('cart-get'), await state('cart-put')];
    expect({ handlers: [get.handler, put.handler], sameCode: get.codeSha256 === put.codeSha256 }).toEqual({ handlers: ['cart_get.handler', 'cart_put.handler'], sameCode: true });

    writeFile(root, 'services/cart/common.py', 'TABLE = "cart-v2"\n');
    await packageAll(root);
    const edited = testContext(root, { prefix });
    for (const project of projects) await deployFunction(edited, project, { layersOnly: false });
    expect(contentWrites(edited).map((c) => `${c.command} ${c.target}`).filter((c) => !c.startsWith('PutObject'))).toEqual([
      `UpdateFunctionCode ${prefix}-cart-get-test`,
      `UpdateFunctionCode ${prefix}-cart-put-test`,
    ]);
    expect((await state('cart-get')).codeSha256).not.toBe(get.codeSha256);
  });
});
