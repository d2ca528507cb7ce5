import { describe, expect, it } from 'vitest';
import { classifyRequest } from './classify-request';

const s3Auth = { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x' };

describe('classifyRequest', () => {
  it('names the S3 precondition a write or delete carries, and none on reads', () => {
    expect(classifyRequest('DELETE', '/bucket/locks/layers/core.json', { ...s3Auth, 'if-match': '"abc"' }, '')).toEqual({ service: 's3', operation: 'DeleteObject', write: true, condition: 'If-Match' });
    expect(classifyRequest('PUT', '/bucket/locks/layers/core.json', { ...s3Auth, 'if-none-match': '*' }, '')).toEqual({ service: 's3', operation: 'PutObject', write: true, condition: 'If-None-Match' });
    expect(classifyRequest('DELETE', '/bucket/locks/layers/core.json', s3Auth, '')).toEqual({ service: 's3', operation: 'DeleteObject', write: true });
    expect(classifyRequest('GET', '/bucket/locks/layers/core.json', { ...s3Auth, 'if-none-match': '"abc"' }, '')).toEqual({ service: 's3', operation: 'GetObject', write: false });
  });
});
