import { describe, expect, it } from 'vitest';
import { classifyRequest } from './classify-request';

const s3Auth = { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x' };

describe('classifyRequest', () => {
  it('names the S3 precondition a write or delete carries, and none on reads', () => {
    expect(classifyRequest('DELETE', '/bucket/locks/layers/core.json', { ...s3Auth, 'if-match': '"abc"' }, '')).toEqual({ service: 's3', operation: 'DeleteObject', write: true, region: 'us-east-1', condition: 'If-Match' });
    expect(classifyRequest('PUT', '/bucket/locks/layers/core.json', { ...s3Auth, 'if-none-match': '*' }, '')).toEqual({ service: 's3', operation: 'PutObject', write: true, region: 'us-east-1', condition: 'If-None-Match' });
    expect(classifyRequest('DELETE', '/bucket/locks/layers/core.json', s3Auth, '')).toEqual({ service: 's3', operation: 'DeleteObject', write: true, region: 'us-east-1' });
    expect(classifyRequest('GET', '/bucket/locks/layers/core.json', { ...s3Auth, 'if-none-match': '"abc"' }, '')).toEqual({ service: 's3', operation: 'GetObject', write: false, region: 'us-east-1' });
  });

  it('names the region a request is signed for, so a test can fail one region of a fleet', () => {
    const lambdaAuth = { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/lambda/aws4_request, SignedHeaders=host, Signature=x' };
    expect(classifyRequest('POST', '/2018-10-31/layers/core/versions', lambdaAuth, '')).toEqual({ service: 'lambda', operation: 'PublishLayerVersion', write: true, functionName: undefined, region: 'eu-west-1' });
    expect(classifyRequest('GET', '/', {}, '').region).toBeUndefined();
  });
});
