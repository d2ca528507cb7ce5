/** What an AWS request was, as far as the wire shows: service, operation, and whether it writes. */
export interface RequestKind {
  service: 'lambda' | 's3' | 'iam' | 'sts' | 'other';
  operation: string;
  write: boolean;
  /** The function a Lambda request targets, when there is one. */
  functionName?: string;
  /** The region the request is signed for (its credential scope), e.g. to fail one region of a fleet. */
  region?: string;
  /** The S3 precondition an object request carries: conditional writes and deletes, which stores differ on. */
  condition?: 'If-Match' | 'If-None-Match';
}

const LAMBDA_ROUTES: [method: string, pattern: RegExp, operation: string][] = [
  ['GET', /^\/2015-03-31\/functions\/([^/]+)$/, 'GetFunction'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'GetFunctionConfiguration'],
  ['PUT', /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'UpdateFunctionConfiguration'],
  ['PUT', /^\/2015-03-31\/functions\/([^/]+)\/code$/, 'UpdateFunctionCode'],
  ['DELETE', /^\/2015-03-31\/functions\/([^/]+)$/, 'DeleteFunction'],
  ['POST', /^\/2015-03-31\/functions\/?$/, 'CreateFunction'],
  ['GET', /^\/2015-03-31\/functions\/?$/, 'ListFunctions'],
  ['GET', /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/, 'ListLayerVersions'],
  ['POST', /^\/2018-10-31\/layers\/([^/]+)\/versions\/?$/, 'PublishLayerVersion'],
  ['GET', /^\/2018-10-31\/layers\/([^/]+)\/versions\/\d+$/, 'GetLayerVersion'],
  ['DELETE', /^\/2018-10-31\/layers\/([^/]+)\/versions\/\d+$/, 'DeleteLayerVersion'],
  ['GET', /^\/2018-10-31\/layers\/?$/, 'ListLayers'],
];

/**
 * Classifies by method and path (Lambda's REST routes, S3 path-style), or by the form `Action` for
 * query APIs (IAM, STS). Independent of the SDK, so a test can count writes the tool did not report.
 */
export function classifyRequest(method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string): RequestKind {
  const path = decodeURIComponent(url.split('?')[0]);
  const auth = String(headers.authorization ?? '');
  const scope = /Credential=[^/]+\/[^/]+\/([a-z0-9-]+)\/([a-z0-9-]+)\//.exec(auth);
  const service = scope?.[2] ?? '';
  const signed = scope ? { region: scope[1] } : {};
  if (service === 'lambda') {
    for (const [routeMethod, pattern, operation] of LAMBDA_ROUTES) {
      const match = routeMethod === method ? pattern.exec(path) : null;
      if (match) return { service: 'lambda', operation, write: method !== 'GET', functionName: operation.includes('Function') && !operation.startsWith('List') ? match[1] : undefined, ...signed };
    }
    return { service: 'lambda', operation: `${method} ${path}`, write: method !== 'GET', ...signed };
  }
  if (service === 'iam' || service === 'sts') {
    const action = new URLSearchParams(body).get('Action') ?? 'Unknown';
    return { service, operation: action, write: !/^(Get|List)/.test(action), ...signed };
  }
  if (service === 's3') {
    const isObject = path.split('/').filter(Boolean).length > 1;
    const operation = `${{ GET: 'Get', HEAD: 'Head', PUT: 'Put', DELETE: 'Delete', POST: 'Post' }[method] ?? method}${isObject ? 'Object' : 'Bucket'}`;
    const condition = method === 'PUT' || method === 'DELETE' ? conditionOf(headers) : undefined;
    return { service: 's3', operation, write: method !== 'GET' && method !== 'HEAD', ...signed, ...(condition ? { condition } : {}) };
  }
  return { service: 'other', operation: `${method} ${path}`, write: method !== 'GET' && method !== 'HEAD' };
}

// Only writes and deletes: on a GET/HEAD the same headers are ordinary cache validation.
function conditionOf(headers: Record<string, string | string[] | undefined>): RequestKind['condition'] {
  if (headers['if-match'] !== undefined) return 'If-Match';
  if (headers['if-none-match'] !== undefined) return 'If-None-Match';
  return undefined;
}
