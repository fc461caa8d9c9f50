import { createHmac } from 'node:crypto';
import { defineCases } from '../types.ts';
import { sign, versionWebhookBody } from './bodies.ts';

/** Forged, tampered, missing and malformed signatures on an otherwise valid version event. */
export const signatureCases = defineCases([
  {
    name: 'signature-missing',
    category: 'signature',
    about: 'a valid version event with no X-Hub-Signature header',
    input: { kind: 'webhook', body: (ids) => versionWebhookBody(ids), signature: 'none' },
    expect: { kind: 'http', status: 401, error: 'missing_signature' },
  },
  {
    name: 'signature-empty',
    category: 'signature',
    about: 'an X-Hub-Signature header with an empty value',
    input: { kind: 'webhook', body: (ids) => versionWebhookBody(ids), signature: { header: () => '' } },
    expect: { kind: 'http', status: 401, error: 'missing_signature' },
  },
  {
    name: 'signature-forged-secret',
    category: 'signature',
    about: 'a well-formed signature made with another secret',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids),
      signature: { secret: 'not-the-webhook-secret' },
    },
    expect: { kind: 'http', status: 401, error: 'bad_signature' },
  },
  {
    name: 'signature-tampered-body',
    category: 'signature',
    about: 'the genuine signature of one body sent with a body whose release date was changed',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids, { version: { releaseDate: '2099-01-01' } }),
      signature: {
        header: (body, secret) => sign(body.toString('utf8').replace('2099-01-01', '2098-01-01'), secret),
      },
    },
    expect: { kind: 'http', status: 401, error: 'bad_signature' },
  },
  {
    name: 'signature-sha1',
    category: 'signature',
    about: 'a correct HMAC, but SHA-1 under a sha1= prefix (a downgrade)',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids),
      signature: {
        header: (body, secret) => `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
      },
    },
    expect: { kind: 'http', status: 401, error: 'bad_signature' },
  },
  {
    name: 'signature-truncated',
    category: 'signature',
    about: 'the first half of the genuine signature',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids),
      signature: { header: (body, secret) => sign(body, secret).slice(0, 7 + 32) },
    },
    expect: { kind: 'http', status: 401, error: 'bad_signature' },
  },
  {
    name: 'signature-markup',
    category: 'signature',
    about: 'a signature header holding markup and a CRLF-free header injection attempt',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids),
      signature: { header: () => 'sha256=<script>alert(1)</script>; admin=true' },
    },
    expect: { kind: 'http', status: 401, error: 'bad_signature' },
  },
  {
    name: 'signature-over-other-encoding',
    category: 'signature',
    about: 'the signature of the body re-encoded as UTF-16 (same text, other bytes)',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids, { version: { name: 'Release ünïcödé' } }),
      signature: { header: (body, secret) => sign(Buffer.from(body.toString('utf8'), 'utf16le'), secret) },
    },
    expect: { kind: 'http', status: 401, error: 'bad_signature' },
  },
]);
