import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toHttpRequest } from '#stages/webhook/toHttpRequest';

const functionUrlEvent = (overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: '/',
  rawQueryString: '',
  headers: { 'content-type': 'application/json' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abcdefghij',
    domainName: 'abcdefghij.lambda-url.us-east-1.on.aws',
    domainPrefix: 'abcdefghij',
    http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
    requestId: 'req-1',
    routeKey: '$default',
    stage: '$default',
    time: '05/Jan/2026:10:00:00 +0000',
    timeEpoch: 1767607200000,
  },
  isBase64Encoded: false,
  ...overrides,
});

describe('Function: toHttpRequest', () => {
  it('keeps a text body as its UTF-8 bytes', () => {
    const body = '{"webhookEvent":"jira:version_created","name":"Grüße"}';

    const req = toHttpRequest(functionUrlEvent({ body }));

    expect(req.method).toBe('POST');
    expect(req.path).toBe('/');
    expect(req.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
  });

  it('decodes a base64 body back to the exact bytes sent', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0x00, 0x7d]);

    const req = toHttpRequest(functionUrlEvent({ body: bytes.toString('base64'), isBase64Encoded: true }));

    expect(req.body.equals(bytes)).toBe(true);
  });

  it('joins the query string to the path and lower-cases header names', () => {
    const req = toHttpRequest(
      functionUrlEvent({
        rawPath: '/unsubscribe',
        rawQueryString: 'p=ABC&e=a%40example.com&t=x',
        headers: { 'X-Hub-Signature': 'sha256=00' },
      }),
    );

    expect(req.path).toBe('/unsubscribe?p=ABC&e=a%40example.com&t=x');
    expect(req.headers).toEqual({ 'x-hub-signature': 'sha256=00' });
    expect(req.body.length).toBe(0);
  });
});
