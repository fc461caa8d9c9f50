import { topology } from '#topology/topology';
import { defineCases } from '../types.ts';
import { versionWebhookBody, versionWebhookObject } from './bodies.ts';

/** A JSON body of exactly `bytes` bytes: the version event padded with a filler field. */
const paddedBody = (base: Record<string, unknown>, bytes: number): string => {
  const empty = JSON.stringify({ ...base, padding: '' });
  return JSON.stringify({ ...base, padding: 'x'.repeat(Math.max(0, bytes - empty.length)) });
};

/** Malformed, oversized and odd webhook bodies, signed correctly, and wrong methods and paths. */
export const webhookBodyCases = defineCases([
  {
    name: 'body-not-json',
    category: 'webhook',
    about: 'a signed body that is not JSON',
    input: { kind: 'webhook', body: (ids) => `webhookEvent=jira:version_created&case=${ids.marker}` },
    expect: { kind: 'http', status: 400, error: 'body_not_json' },
  },
  {
    name: 'body-empty',
    category: 'webhook',
    about: 'a signed empty body',
    input: { kind: 'webhook', body: () => '' },
    expect: { kind: 'http', status: 400, error: 'body_not_json' },
  },
  {
    name: 'body-truncated-json',
    category: 'webhook',
    about: 'a version event cut off in the middle',
    input: { kind: 'webhook', body: (ids) => versionWebhookBody(ids).slice(0, 80) },
    expect: { kind: 'http', status: 400, error: 'body_not_json' },
  },
  {
    name: 'body-json-array',
    category: 'webhook',
    about: 'a JSON array holding a version event',
    input: { kind: 'webhook', body: (ids) => `[${versionWebhookBody(ids)}]` },
    expect: { kind: 'http', status: 400, error: 'missing_webhook_event' },
  },
  {
    name: 'body-json-null',
    category: 'webhook',
    about: 'the JSON literal null',
    input: { kind: 'webhook', body: () => 'null' },
    expect: { kind: 'http', status: 400, error: 'missing_webhook_event' },
  },
  {
    name: 'body-json-string',
    category: 'webhook',
    about: 'a JSON string that contains a version event',
    input: { kind: 'webhook', body: (ids) => JSON.stringify(versionWebhookBody(ids)) },
    expect: { kind: 'http', status: 400, error: 'missing_webhook_event' },
  },
  {
    name: 'body-event-not-string',
    category: 'webhook',
    about: 'webhookEvent is an object',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids, { extra: { webhookEvent: { name: 'jira:version_created' } } }),
    },
    expect: { kind: 'http', status: 400, error: 'missing_webhook_event' },
  },
  {
    name: 'body-event-too-long',
    category: 'webhook',
    about: 'a 10,000-character webhookEvent (EventBridge allows 128 for a detail-type)',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids, { event: `jira:version_${'x'.repeat(10_000)}` }),
    },
    expect: { kind: 'http', status: 400, error: 'webhook_event_too_long' },
  },
  {
    name: 'body-just-over-cap',
    category: 'webhook',
    about: 'a valid version event padded to one byte over the webhook body cap',
    input: {
      kind: 'webhook',
      body: (ids) => paddedBody(versionWebhookObject(ids), topology.webhook.maxBodyBytes + 1),
    },
    expect: { kind: 'http', status: 413, error: 'body_too_large' },
  },
  {
    name: 'body-two-mebibytes',
    category: 'webhook',
    about: 'a 2 MiB signed body',
    input: { kind: 'webhook', body: (ids) => paddedBody(versionWebhookObject(ids), 2 * 1024 * 1024) },
    expect: { kind: 'http', status: 413, error: /too large|body_too_large/ },
  },
  {
    name: 'body-deep-nesting',
    category: 'webhook',
    about: 'a version event with an extra field nested 20,000 arrays deep (under the size cap)',
    input: {
      kind: 'webhook',
      body: (ids) => {
        const text = versionWebhookBody(ids);
        return `${text.slice(0, -1)},"nested":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
      },
    },
    expect: { kind: 'http', status: 400, error: 'body_too_deep' },
  },
  {
    name: 'body-huge-numbers',
    category: 'webhook',
    about: 'a version event whose timestamp and projectId overflow doubles (1e400, 30 digits)',
    input: {
      kind: 'webhook',
      body: (ids) =>
        versionWebhookBody(ids)
          .replace(/"timestamp":\d+/, '"timestamp":1e400')
          .replace(/"projectId":\d+/, '"projectId":123456789012345678901234567890'),
    },
    expect: { kind: 'dlq', stage: 'ingest', reason: /^contract:/ },
  },
  {
    name: 'body-invalid-utf8',
    category: 'webhook',
    about:
      'a version event whose name holds bytes that are not UTF-8 and a NUL: accepted, then dead-lettered by enrich (Jira does not know its project)',
    input: {
      kind: 'webhook',
      body: (ids) => {
        const [head = '', tail = ''] = versionWebhookBody(ids, { version: { name: 'BROKEN' } }).split(
          'BROKEN',
        );
        return Buffer.concat([
          Buffer.from(head),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
          Buffer.from(`\\u0000${tail}`),
        ]);
      },
    },
    expect: { kind: 'dlq', stage: 'enrich', reason: /^permanent:jira_not_found$/ },
  },
  {
    name: 'body-non-version-event',
    category: 'webhook',
    about: 'a signed jira:issue_created event (the bus rule routes only version events)',
    input: {
      kind: 'webhook',
      body: (ids) =>
        JSON.stringify({
          timestamp: ids.now.getTime(),
          webhookEvent: 'jira:issue_created',
          corpusCase: ids.marker,
        }),
    },
    expect: { kind: 'http', status: 202, forwarded: 'no' },
  },
  {
    name: 'body-unknown-version-event',
    category: 'webhook',
    about: 'a signed jira:version_exploded event (passes the bus prefix rule, unknown to ingest)',
    input: { kind: 'webhook', body: (ids) => versionWebhookBody(ids, { event: 'jira:version_exploded' }) },
    expect: { kind: 'http', status: 202, forwarded: 'dropped' },
  },
  {
    name: 'method-get',
    category: 'webhook',
    about: 'a GET of the webhook URL',
    input: { kind: 'webhook', method: 'GET', body: () => '' },
    expect: { kind: 'http', status: 405, error: 'method_not_allowed' },
  },
  {
    name: 'path-unknown',
    category: 'webhook',
    about: 'a signed version event posted to /admin/../webhook/x',
    input: { kind: 'webhook', path: '/admin/%2e%2e/webhook/x', body: (ids) => versionWebhookBody(ids) },
    expect: { kind: 'http', status: 404, error: 'not_found' },
  },
]);
