import { defineCases } from '../types.ts';
import { versionWebhookBody } from './bodies.ts';

const CONTRACT = /^contract:jira\.version_webhook$/;

/** Signed version events whose body breaks the webhook schema: each must be dead-lettered by ingest. */
export const schemaCases = defineCases([
  {
    name: 'schema-version-missing',
    category: 'schema',
    about: 'a version event with no version object',
    input: { kind: 'webhook', body: (ids) => versionWebhookBody(ids, { extra: { version: undefined } }) },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-version-array',
    category: 'schema',
    about: 'version is an array of versions',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids, { extra: { version: [{ id: ids.versionId }] } }),
    },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-version-markup',
    category: 'schema',
    about: 'version is a string of markup',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids, { extra: { version: '<script>alert(1)</script>' } }),
    },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-id-not-numeric',
    category: 'schema',
    about: 'a version id holding a path traversal',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids, { version: { id: '../../rest/api/3/myself' } }),
    },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-id-too-long',
    category: 'schema',
    about: 'a 40-digit version id',
    input: { kind: 'webhook', body: (ids) => versionWebhookBody(ids, { version: { id: '9'.repeat(40) } }) },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-id-negative-number',
    category: 'schema',
    about: 'a negative, fractional numeric version id',
    input: { kind: 'webhook', body: (ids) => versionWebhookBody(ids, { version: { id: -12.5 } }) },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-project-missing',
    category: 'schema',
    about: 'a version without a projectId',
    input: { kind: 'webhook', body: (ids) => versionWebhookBody(ids, { version: { projectId: undefined } }) },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-release-date-words',
    category: 'schema',
    about: 'a release date written in words',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids, { version: { releaseDate: 'next friday' } }),
    },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-name-too-long',
    category: 'schema',
    about: 'a 300-character version name (Jira allows 255)',
    input: {
      kind: 'webhook',
      body: (ids) => versionWebhookBody(ids, { version: { name: 'N'.repeat(300) } }),
    },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-timestamp-string',
    category: 'schema',
    about: 'a timestamp written as a date string',
    input: { kind: 'webhook', body: (ids) => versionWebhookBody(ids, { extra: { timestamp: 'yesterday' } }) },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
  {
    name: 'schema-duplicate-keys',
    category: 'schema',
    about: 'two webhookEvent keys and two version keys: the last ones (a version_deleted with no id) win',
    input: {
      kind: 'webhook',
      body: (ids) =>
        versionWebhookBody(ids).replace(
          /}$/,
          ',"webhookEvent":"jira:version_deleted","version":{"name":"shadow"}}',
        ),
    },
    expect: { kind: 'dlq', stage: 'ingest', reason: CONTRACT },
  },
]);
