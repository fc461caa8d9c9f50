import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpRequest } from './types.ts';

/**
 * Turns a Lambda function URL event into the transport-free request `handleRequest` takes: the
 * path keeps its query string, header names are lower-cased, and the body is decoded back to the
 * exact bytes the caller sent (base64 when the function URL says so, else UTF-8 text).
 */
export const toHttpRequest = (event: APIGatewayProxyEventV2): HttpRequest => ({
  method: event.requestContext.http.method,
  path: event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath,
  headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  body:
    event.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
});
