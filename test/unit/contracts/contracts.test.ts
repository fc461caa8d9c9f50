import { describe, expect, it } from 'vitest';
import { composeJobMessage } from '#contracts/composeJob';
import { contact } from '#contracts/contact';
import { anyEnvelope, wrap } from '#contracts/envelope';
import { ContractError, parseContract, parseJsonContract } from '#contracts/errors';
import { eventBridgeJiraEvent } from '#contracts/eventBridgeJiraEvent';
import { fixture, fixtureText } from '#contracts/fixtures/index';
import { jiraVersionWebhook, VERSION_EVENTS } from '#contracts/jiraVersionWebhook';
import { releaseChangedMessage } from '#contracts/releaseChanged';
import { releaseSnapshotMessage } from '#contracts/releaseSnapshot';
import { sendJobMessage } from '#contracts/sendJob';
import { sendPolicy } from '#contracts/sendPolicy';

const JIRA_FIXTURES = [
  'jira-version-created',
  'jira-version-updated',
  'jira-version-released',
  'jira-version-unreleased',
  'jira-version-deleted',
  'jira-version-moved',
  'jira-version-merged',
] as const;

/** Parses and returns the ContractError's problems, failing the test when parsing succeeds. */
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ContractError);
    return [...(err as ContractError).problems];
  }
  throw new Error('expected a ContractError, but parsing succeeded');
};

describe('Function: fixtures', () => {
  it.each(JIRA_FIXTURES)('parses the %s webhook fixture', (name) => {
    const parsed = parseJsonContract('jira webhook', jiraVersionWebhook, fixtureText(name));

    expect(VERSION_EVENTS).toContain(parsed.webhookEvent);
    expect(parsed.version.id).toMatch(/^\d+$/);
    expect(parsed.version.projectId).toBe('10001');
  });

  it('covers all seven version events with a fixture', () => {
    const events = JIRA_FIXTURES.map((name) => fixture(name).webhookEvent);

    expect(new Set(events)).toEqual(new Set(VERSION_EVENTS));
  });

  it('parses the EventBridge event fixture and its detail', () => {
    const event = parseJsonContract(
      'event',
      eventBridgeJiraEvent,
      fixtureText('eventbridge-version-updated'),
    );

    expect(event['detail-type']).toBe('jira:version_updated');
    expect(parseContract('detail', jiraVersionWebhook, event.detail).version.releaseDate).toBe('2026-12-15');
  });

  it.each([
    ['release-changed', releaseChangedMessage],
    ['release-snapshot', releaseSnapshotMessage],
    ['compose-job', composeJobMessage],
    ['send-job', sendJobMessage],
  ] as const)('parses the %s envelope fixture', (name, schema) => {
    const parsed = parseJsonContract(name, schema, fixtureText(name));

    expect(parsed.v).toBe(1);
    expect(parseContract('envelope', anyEnvelope, fixture(name)).kind).toBe(parsed.kind);
  });

  it('keeps unknown fields instead of rejecting them', () => {
    const body = fixture('jira-version-updated');
    body.somethingNew = { nested: true };
    (body.version as Record<string, unknown>).driver = 'someone';

    const parsed = parseContract('jira webhook', jiraVersionWebhook, body);

    expect(parsed).toMatchObject({ somethingNew: { nested: true }, version: { driver: 'someone' } });
  });

  it('wraps a payload in an envelope that parses back', () => {
    const payload = fixture('send-job').payload;

    const envelope = wrap('send.job', 'k-1', payload);

    expect(parseContract('send.job', sendJobMessage, envelope)).toMatchObject({ key: 'k-1', reschedules: 0 });
  });
});

type Mutation = [title: string, mutate: (body: Record<string, unknown>) => void, expected: RegExp];

const versionOf = (body: Record<string, unknown>) => body.version as Record<string, unknown>;

/** The payload of an envelope fixture, loosely typed so tests can break it. */
// biome-ignore lint/suspicious/noExplicitAny: tests deliberately write wrong types into fixtures.
const payloadOf = (body: Record<string, unknown>) => body.payload as Record<string, any>;

const WEBHOOK_MUTATIONS: Mutation[] = [
  ['missing version id', (b) => delete versionOf(b).id, /version\.id/],
  ['missing projectId', (b) => delete versionOf(b).projectId, /version\.projectId/],
  ['non-numeric version id', (b) => (versionOf(b).id = 'abc'), /version\.id: .*numeric id/],
  ['negative project id', (b) => (versionOf(b).projectId = -4), /version\.projectId/],
  ['unknown webhookEvent', (b) => (b.webhookEvent = 'jira:issue_created'), /webhookEvent must be one of/],
  ['missing webhookEvent', (b) => delete b.webhookEvent, /webhookEvent/],
  ['timestamp as string', (b) => (b.timestamp = '2026-11-27'), /timestamp/],
  ['missing timestamp', (b) => delete b.timestamp, /timestamp/],
  [
    'releaseDate with a time',
    (b) => (versionOf(b).releaseDate = '2026-12-15T09:00:00Z'),
    /releaseDate: expected a date/,
  ],
  [
    'releaseDate not a calendar date',
    (b) => (versionOf(b).releaseDate = '2026-13-45'),
    /releaseDate: not a calendar date/,
  ],
  ['released as a string', (b) => (versionOf(b).released = 'yes'), /version\.released/],
  ['archived as a number', (b) => (versionOf(b).archived = 1), /version\.archived/],
  ['version missing entirely', (b) => delete b.version, /version/],
  ['version is an array', (b) => (b.version = []), /version/],
  [
    'name longer than 255',
    (b) => (versionOf(b).name = 'x'.repeat(256)),
    /version\.name: version name longer/,
  ],
];

describe('Function: jiraVersionWebhook (malformed input)', () => {
  it.each(WEBHOOK_MUTATIONS)('rejects %s with a message naming the field', (_title, mutate, expected) => {
    const body = fixture('jira-version-updated');
    mutate(body);

    const problems = problemsOf(() => parseContract('jira webhook', jiraVersionWebhook, body));

    expect(problems.join('\n')).toMatch(expected);
  });

  it('rejects a body that is not JSON, saying so', () => {
    const problems = problemsOf(() =>
      parseJsonContract('jira webhook', jiraVersionWebhook, '{"timestamp": 1,'),
    );

    expect(problems[0]).toMatch(/body is not valid JSON/);
  });

  it('rejects a JSON array at the root', () => {
    expect(problemsOf(() => parseJsonContract('jira webhook', jiraVersionWebhook, '[]'))[0]).toMatch(
      /\(root\)/,
    );
  });
});

describe('Function: envelopes (malformed input)', () => {
  const cases: [string, (b: Record<string, unknown>) => void, RegExp][] = [
    ['wrong envelope version', (b) => (b.v = 2), /v must be 1/],
    ['missing key', (b) => delete b.key, /key/],
    ['empty key', (b) => (b.key = ''), /key is required/],
    ['negative reschedules', (b) => (b.reschedules = -1), /reschedules/],
    ['wrong kind', (b) => (b.kind = 'compose.job'), /kind must be send\.job/],
    ['bad traceparent', (b) => (b.traceparent = 'abc'), /not a W3C traceparent/],
    [
      'recipient with a bad email',
      (b) => (payloadOf(b).recipient.email = 'not-an-address'),
      /recipient\.email: not an email/,
    ],
    ['missing draftKey', (b) => delete payloadOf(b).draftKey, /payload\.draftKey/],
    ['missing versionId', (b) => delete payloadOf(b).versionId, /payload\.versionId/],
  ];

  it.each(cases)('rejects a send.job with %s', (_title, mutate, expected) => {
    const body = fixture('send-job');
    mutate(body);

    expect(problemsOf(() => parseContract('send.job', sendJobMessage, body)).join('\n')).toMatch(expected);
  });

  it('rejects a compose job with no recipients', () => {
    const body = fixture('compose-job');
    payloadOf(body).recipients = [];

    expect(problemsOf(() => parseContract('compose.job', composeJobMessage, body)).join('\n')).toMatch(
      /at least one recipient/,
    );
  });

  it('rejects a compose job in an unknown time zone', () => {
    const body = fixture('compose-job');
    payloadOf(body).timeZone = 'Mars/Olympus_Mons';

    expect(problemsOf(() => parseContract('compose.job', composeJobMessage, body)).join('\n')).toMatch(
      /unknown time zone "Mars\/Olympus_Mons"/,
    );
  });

  it('rejects a snapshot without the time enrich read the version', () => {
    const body = fixture('release-snapshot');
    delete payloadOf(body).readAt;

    expect(
      problemsOf(() => parseContract('release.snapshot', releaseSnapshotMessage, body)).join('\n'),
    ).toMatch(/payload\.readAt/);
  });

  it('accepts a compose job scheduled before snapshotAt existed, and rejects a negative one', () => {
    const legacy = fixture('compose-job');
    delete payloadOf(legacy).snapshotAt;
    const negative = fixture('compose-job');
    payloadOf(negative).snapshotAt = -1;

    expect(parseContract('compose.job', composeJobMessage, legacy).payload.snapshotAt).toBeUndefined();
    expect(parseContract('compose.job', composeJobMessage, fixture('compose-job')).payload.snapshotAt).toBe(
      1795790001500,
    );
    expect(problemsOf(() => parseContract('compose.job', composeJobMessage, negative)).join('\n')).toMatch(
      /payload\.snapshotAt/,
    );
  });

  it('rejects a snapshot with an unknown state', () => {
    const body = fixture('release-snapshot');
    payloadOf(body).state = 'paused';

    expect(
      problemsOf(() => parseContract('release.snapshot', releaseSnapshotMessage, body)).join('\n'),
    ).toMatch(/payload\.state/);
  });

  it('rejects an EventBridge event without detail', () => {
    const body = fixture('eventbridge-version-updated');
    delete body.detail;

    expect(problemsOf(() => parseContract('event', eventBridgeJiraEvent, body)).join('\n')).toMatch(/detail/);
  });
});

describe('Function: directory records', () => {
  it('normalises an email address to lower case and applies defaults', () => {
    expect(contact.parse({ email: '  Ada@Example.COM ' })).toEqual({
      email: 'ada@example.com',
      optedOut: false,
    });
  });

  it("leaves a contact's missing locale unset, so the project's default locale applies", () => {
    const parsed = contact.parse({ email: 'ada@example.com' });

    expect(parsed).not.toHaveProperty('locale');
    expect(contact.parse({ email: 'ada@example.com', locale: 'de-DE' }).locale).toBe('de-DE');
  });

  it.each([
    [{ email: 'a@b' }, /not an email/],
    [{ email: 'ada@example.com', locale: 'english!' }, /locale tag/],
    [{ email: 'ada@example.com', timeZone: 'Europe/Atlantis' }, /unknown time zone/],
  ])('rejects contact %j', (input, expected) => {
    expect(problemsOf(() => parseContract('contact', contact, input)).join('\n')).toMatch(expected);
  });

  it('rejects a policy with more than 20 points', () => {
    const point = { id: 'b1d0h0m0900', days: -1, hours: 0, minutes: 0, at: '09:00' };

    expect(
      problemsOf(() => parseContract('policy', sendPolicy, { points: Array(21).fill(point) })).join('\n'),
    ).toMatch(/at most 20 send points/);
  });
});
