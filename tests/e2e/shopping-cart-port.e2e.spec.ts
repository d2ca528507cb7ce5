// @module-tag e2e
import { GetAliasCommand, GetFunctionCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { localAwsClientConfig } from '../../packages/local-aws/src/local-credentials';
import { EmulatorLambda, NxWorkspace, readZip } from './nx-workspace';

/** The port of aws-samples/aws-serverless-shopping-cart (see fixtures/shopping-cart/README.md). */
const FIXTURE = join(__dirname, 'fixtures', 'shopping-cart');
const CART = ['add-to-cart', 'cart-db-stream-handler', 'checkout-cart', 'delete-from-cart', 'get-cart-total', 'list-cart', 'migrate-cart', 'update-cart'];
const PRODUCT = ['get-product', 'get-products'];
// A stand-in for AWS's public Powertools layer: the emulator cannot serve another account's layer. One stored file.
const POWERTOOLS_ZIP = Buffer.from('UEsDBAoAAAAAAAAAIQAAAAAAAAAAAAAAAAAEAAAAYS5weVBLAQIUAAoAAAAAAAAAIQAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAABhLnB5UEsFBgAAAAABAAEAMgAAACIAAAAAAA==', 'base64');

interface Deployed {
  code: string;
  layers: string[];
  live: string;
  environment: Record<string, string>;
}

/** The names in a function's zip, read by Python's zipfile. */
const zipNames = (ws: NxWorkspace, project: string): string[] => readZip(join(ws.root, 'dist', 'lambdas', project, 'package', 'function.zip')).names;

/** The project names a `nx show projects` run printed, sorted. */
const projectsIn = (output: string) => output.split('\n').map((line) => line.trim()).filter((line) => /^[\w-]+$/.test(line)).sort();

describe('a public multi-function SAM app ported to function.json/layer.json/defaults.json, through the real nx CLI', () => {
  it('deploys to the emulator; a shared layer change moves exactly the 8 cart functions\' layers, a shared code folder change exactly their code', async () => {
    const endpoint = inject('motoEndpoint');
    const ws = new NxWorkspace(endpoint, `shop${process.pid % 10000}`);
    for (const part of ['layers', 'lambdas', 'VERSION']) rmSync(join(ws.root, part), { recursive: true, force: true });
    for (const part of ['layers', 'lambdas', 'services', 'VERSION']) cpSync(join(FIXTURE, part), join(ws.root, part), { recursive: true });
    const lambda = new EmulatorLambda(endpoint);
    const powertools = await lambda.client.send(new PublishLayerVersionCommand({ LayerName: 'AWSLambdaPowertoolsPythonV3', Content: { ZipFile: POWERTOOLS_ZIP }, CompatibleRuntimes: ['python3.12'] }));
    ws.write('lambdas/defaults.json', ws.read('lambdas/defaults.json').replace('AWSLambdaPowertoolsPythonV3:1"', `AWSLambdaPowertoolsPythonV3:${powertools.Version}"`));
    const ssm = new SSMClient(localAwsClientConfig(endpoint));
    const userPool = `us-east-1_${process.pid}Shop`;
    await ssm.send(new PutParameterCommand({ Name: `/${ws.prefix}/local/auth/user-pool-id`, Value: userPool, Type: 'String', Overwrite: true }));
    await ssm.send(new PutParameterCommand({ Name: `/${ws.prefix}/local/products/products-api-url`, Value: 'https://products.shop.vectora.dev/Prod', Type: 'String', Overwrite: true }));
    ws.commit('shopping cart port');

    const state = async (project: string): Promise<Deployed> => {
      const fn = (await lambda.client.send(new GetFunctionCommand({ FunctionName: ws.awsName(project) }))).Configuration!;
      const alias = await lambda.client.send(new GetAliasCommand({ FunctionName: ws.awsName(project), Name: 'live' }));
      return { code: fn.CodeSha256!, layers: (fn.Layers ?? []).map((l) => l.Arn!), live: alias.FunctionVersion!, environment: fn.Environment?.Variables ?? {} };
    };
    const all = async () => Object.fromEntries(await Promise.all([...CART, ...PRODUCT].map(async (p) => [p, await state(p)] as const)));
    const deploy = async () => {
      const run = await ws.nx(['run-many', '-t', 'deploy', '-c', 'local']);
      expect(run.status, run.output).toBe(0);
      return run.output;
    };

    await deploy();
    const first = await all();
    const layerArn = (version: number) => expect.stringMatching(new RegExp(`:layer:${ws.prefix}-shop-utils-local:${version}$`));
    for (const project of CART) {
      expect(first[project].layers, project).toEqual([expect.stringMatching(new RegExp(`:layer:AWSLambdaPowertoolsPythonV3:${powertools.Version}$`)), layerArn(1)]);
      expect(first[project].environment).toMatchObject({ TABLE_NAME: `${ws.prefix}-shopping-cart-local`, POWERTOOLS_SERVICE_NAME: 'shopping-cart', ALLOWED_ORIGIN: 'http://localhost:8080', LOG_LEVEL: 'INFO' });
    }
    expect(first['migrate-cart'].environment).toMatchObject({ USERPOOL_ID: userPool, PRODUCT_SERVICE_URL: 'https://products.shop.vectora.dev/Prod', DELETE_FROM_CART_SQS_QUEUE: expect.stringMatching(new RegExp(`^https://sqs\\.us-east-1\\.amazonaws\\.com/\\d{12}/${ws.prefix}-cart-delete-local$`)) });
    for (const project of PRODUCT) expect({ layers: first[project].layers, service: first[project].environment.POWERTOOLS_SERVICE_NAME, table: first[project].environment.TABLE_NAME }).toEqual({ layers: [], service: 'product-mock', table: undefined });
    // The product functions' own requirements are installed into their zips, beside the handlers of their shared folder.
    for (const project of PRODUCT) expect(zipNames(ws, project)).toEqual(expect.arrayContaining(['get_product.py', 'get_products.py', 'catalog.py', 'aws_lambda_powertools/__init__.py', 'jmespath/__init__.py']));
    // The eight cart functions zip one shared folder: one code hash; the two product functions another.
    expect(new Set(CART.map((p) => first[p].code)).size).toBe(1);
    expect(first['get-product'].code).not.toBe(first['list-cart'].code);

    // 1. The shared layer changes: it publishes once, and exactly the cart functions move to it (layers and alias), code untouched.
    const layerFile = 'layers/shop-utils/src/shop_utils/responses.py';
    ws.write(layerFile, ws.read(layerFile).replace('"Access-Control-Allow-Credentials": "true",', '"Access-Control-Allow-Credentials": "true",\n        "Cache-Control": "no-store",'));
    expect(projectsIn((await ws.nx(['show', 'projects', '--affected', `--files=${layerFile}`])).output)).toEqual(['shop-utils', ...CART].sort());
    ws.commit('shop-utils: no caching of cart answers');
    await deploy();
    const second = await all();
    for (const project of CART) {
      expect({ layers: second[project].layers, code: second[project].code }, project).toEqual({ layers: [first[project].layers[0], layerArn(2)], code: first[project].code });
      expect(Number(second[project].live), project).toBeGreaterThan(Number(first[project].live));
    }
    for (const project of PRODUCT) expect(second[project], project).toEqual(first[project]);

    // 2. The shared code folder changes: exactly the cart functions get new code (and a new alias version), layers as they were.
    const codeFile = 'services/shopping-cart/utils.py';
    ws.write(codeFile, ws.read(codeFile).replace('return f"product#{product_id}"', 'return f"product#{product_id.strip()}"'));
    expect(projectsIn((await ws.nx(['show', 'projects', '--affected', `--files=${codeFile}`])).output)).toEqual(CART);
    ws.commit('cart: product ids trimmed');
    await deploy();
    const third = await all();
    for (const project of CART) {
      expect(third[project].code, project).not.toBe(second[project].code);
      expect(third[project].layers, project).toEqual(second[project].layers);
      expect(Number(third[project].live), project).toBeGreaterThan(Number(second[project].live));
    }
    for (const project of PRODUCT) expect(third[project], project).toEqual(first[project]);
    expect(readFileSync(join(ws.root, 'VERSION'), 'utf8')).toContain('shop-utils=1.0.0');
  });
});
