import { describe, expect, it } from 'vitest';
import { LlmOutputError } from '#adapters/llm/errors';
import type { ComposeJob } from '#contracts/composeJob';
import { DRAFT_PLACEHOLDERS, type EmailDraft } from '#contracts/emailDraft';
import { ContractError } from '#contracts/errors';
import { DEFAULT_ISSUE_SCOPE } from '#contracts/issueScope';
import { releaseChangedMessage } from '#contracts/releaseChanged';
import { sendJobMessage, sendKey } from '#contracts/sendJob';
import { DEFAULT_SEND_POLICY, type SendPolicy } from '#contracts/sendPolicy';
import { RetryableError } from '#shared/errors';
import { type ComposeDeps, processRecord } from '#stages/compose/processRecord';
import { activeVersion, billingJira, composeJob, issues } from '#test/factories/billingRelease';
import { FakeDeliveryRecords } from '#test/factories/FakeDeliveryRecords';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import type { FakeJira } from '#test/factories/FakeJira';
import { FakeLedger } from '#test/factories/FakeLedger';
import { FakeLlm, llmEmail } from '#test/factories/FakeLlm';
import { FakeQueue } from '#test/factories/FakeQueue';
import { envelopeRecord, sqsRecord } from '#test/factories/lambda';
import { memoryLogger } from '#test/factories/memoryLogger';
import { recordContext } from '#test/factories/recordContext';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const NOW = new Date('2026-12-14T08:00:05.000Z');

interface Harness {
  jira: FakeJira;
  llm: FakeLlm;
  ledger: FakeLedger;
  queue: FakeQueue;
  directory: FakeDirectory;
  deps: ComposeDeps;
  log: ReturnType<typeof memoryLogger>;
  run(job: ComposeJob, options?: { remainingMs?: number }): Promise<void>;
  sendJobs(): Array<ReturnType<typeof sendJobMessage.parse>>;
}

/**
 * The project's policy in these tests: no coverage minimum, as the scripted answers cite part of
 * the release on purpose (coverage has its own tests, with the default minimum).
 */
const NO_COVERAGE_MINIMUM: SendPolicy = { ...DEFAULT_SEND_POLICY, minCoverage: 0 };

const harness = (options: { llm?: FakeLlm | null; policy?: SendPolicy } = {}): Harness => {
  const jira = billingJira();
  const llm = options.llm ?? new FakeLlm();
  const ledger = new FakeLedger();
  const queue = new FakeQueue();
  const log = memoryLogger();
  const directory = new FakeDirectory();
  directory.policies.set('BILL', options.policy ?? NO_COVERAGE_MINIMUM);
  const deps: ComposeDeps = {
    jira,
    directory,
    llm: options.llm === null ? undefined : llm,
    ledger,
    queue,
    now: () => NOW,
    env: '',
    maxIssues: 200,
  };
  return {
    jira,
    llm,
    ledger,
    queue,
    directory,
    deps,
    log,
    run: (job, runOptions = {}) =>
      processRecord(
        envelopeRecord('compose.job', `${job.versionId}:${job.pointId}:${job.chunk.index}`, job, TRACEPARENT),
        recordContext(log.logger, runOptions.remainingMs ?? 60_000),
        deps,
      ),
    sendJobs: () => queue.bodies('herald-send').map((b) => sendJobMessage.parse(b)),
  };
};

const onlyDraft = (ledger: FakeLedger): EmailDraft => {
  expect(ledger.drafts.size).toBe(1);
  const [draft] = ledger.drafts.values();
  if (!draft) throw new Error('no draft');
  return draft;
};

describe('Function: processRecord (compose)', () => {
  it.each([
    ['deleted', null],
    ['archived', activeVersion({ archived: true })],
    ['already_released', activeVersion({ released: true })],
  ] as const)('skips a job whose release is %s: no LLM call, no draft, no send', async (reason, version) => {
    // Arrange
    const h = harness();
    if (version === null) h.jira.versions.delete('10042');
    else h.jira.versions.set('10042', version);

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(0);
    expect(h.queue.sent).toHaveLength(0);
    expect(h.ledger.calls).toEqual([]);
    expect(h.jira.calls).toEqual(['getVersion:10042']);
    expect(h.log.events('compose_skipped')).toEqual([expect.objectContaining({ reason })]);
  });

  it.each([
    ['2026-12-22', '2026-12-22'],
    [undefined, 'none'],
  ])(
    'skips a job whose release date moved to %s and asks enrich to re-plan the release',
    async (moved, keyDate) => {
      // Arrange: the "date changed" webhook was lost, so the schedules still carry the old date.
      const h = harness();
      h.jira.versions.set('10042', activeVersion({ releaseDate: moved }));

      // Act
      await h.run(composeJob());

      // Assert: nothing composed or sent for the old date...
      expect(h.llm.requests).toHaveLength(0);
      expect(h.ledger.calls).toEqual([]);
      expect(h.queue.bodies('herald-send')).toEqual([]);
      expect(h.log.events('compose_skipped')).toEqual([
        expect.objectContaining({ reason: 'release_date_moved' }),
      ]);
      // ...and one release.changed on the enrich queue, as if Jira had sent the webhook now.
      const [changed, ...others] = h.queue.bodies('herald-enrich').map((b) => releaseChangedMessage.parse(b));
      expect(others).toEqual([]);
      expect(changed).toMatchObject({
        kind: 'release.changed',
        key: `10042:replan:b1d0h0m0900@${keyDate}`,
        traceparent: TRACEPARENT,
        reschedules: 0,
        payload: {
          event: 'jira:version_updated',
          versionId: '10042',
          projectId: '10000',
          occurredAt: NOW.getTime(),
          hint: { name: 'Billing 2.4', released: false, archived: false },
        },
      });
      expect(changed?.payload.hint.releaseDate).toBe(moved);
      expect(h.queue.sent.map((s) => s.queueName)).toEqual(['herald-enrich']);
      expect(h.jira.calls).toEqual(['getVersion:10042', 'getProject:BILL']);
      expect(h.log.events('replan_requested')).toEqual([
        expect.objectContaining({ key: `10042:replan:b1d0h0m0900@${keyDate}`, plannedDate: '2026-12-15' }),
      ]);
    },
  );

  it('rethrows when the re-plan cannot be queued, so the redelivery asks again', async () => {
    // Arrange
    const h = harness();
    h.jira.versions.set('10042', activeVersion({ releaseDate: '2026-12-22' }));
    h.queue.send = async () => {
      throw new RetryableError('SQS throttled');
    };

    // Act / Assert
    await expect(h.run(composeJob(), { remainingMs: 1_000 })).rejects.toBeInstanceOf(RetryableError);
    expect(h.log.events('replan_requested')).toEqual([]);
  });

  it('writes the draft with the LLM and queues a send job for the recipient', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run(composeJob());

    // Assert: one call, told what it needs.
    expect(h.llm.requests).toEqual([
      {
        projectName: 'Billing',
        versionName: 'Billing 2.4',
        versionDescription: 'Invoices and exports',
        releaseDate: '2026-12-15',
        pointKind: 'before',
        daysBefore: 1,
        locale: 'en',
        issues: issues(3),
        audience: { name: 'all' },
      },
    ]);
    // The whole release (for the left-out list), then the default project scope.
    expect(h.jira.listOptions).toEqual([
      { maxIssues: 200, signal: expect.any(AbortSignal), scope: [] },
      { maxIssues: 200, signal: expect.any(AbortSignal), scope: [DEFAULT_ISSUE_SCOPE] },
    ]);
    const draft = onlyDraft(h.ledger);
    expect(draft).toMatchObject({
      key: 'draft:10042:b1d0h0m0900@2026-12-15:en',
      source: 'llm',
      model: 'gpt-test',
      locale: 'en',
      subject: 'Billing 2.4 arrives tomorrow',
      issueKeys: ['BILL-1', 'BILL-2'],
      createdAt: NOW.toISOString(),
    });
    // No policy stored: the default shows no keys and no Jira links; the keys stay in the record.
    // A key the writer put in a sentence is cut too: no key at all reaches the client.
    expect(draft.html).toContain('>Improved</li>');
    expect(draft.html).not.toContain('BILL-');
    expect(draft.text).not.toContain('BILL-');
    expect(draft.html).not.toContain('acme.example.net');
    expect(draft.html).not.toContain('<a href="http');
    expect(draft.html).not.toContain('(BILL-2)');
    expect(draft.text).not.toContain('(BILL-2)');
    expect(draft.text).not.toContain('acme.example.net');
    expect(draft.fromName).toBe('Billing releases');
    expect(draft.replyTo).toBeUndefined();
    expect(draft.html).toContain(DRAFT_PLACEHOLDERS.unsubscribeUrl);
    expect(draft.text).toContain(DRAFT_PLACEHOLDERS.name);
    // And one send job, keyed for exactly-once, carrying the trace.
    expect(h.sendJobs()).toEqual([
      {
        v: 1,
        kind: 'send.job',
        key: '10042:b1d0h0m0900@2026-12-15:ada@example.com',
        traceparent: TRACEPARENT,
        reschedules: 0,
        payload: {
          versionId: '10042',
          projectKey: 'BILL',
          pointId: 'b1d0h0m0900',
          releaseDate: '2026-12-15',
          draftKey: 'draft:10042:b1d0h0m0900@2026-12-15:en',
          recipient: { email: 'ada@example.com', name: 'Ada', locale: 'en' },
          // The job has no deadline of its own: its due time plus the default 6 h.
          notAfter: '2026-12-14T14:00:00.000Z',
        },
      },
    ]);
  });

  it("presents the draft as the project's policy says: template links, From name, Reply-To, footer", async () => {
    // Arrange
    const h = harness();
    await h.directory.putPolicy('BILL', {
      points: [],
      minCoverage: 0,
      references: 'links',
      linkTemplate: 'https://status.example.com/changes/{key}',
      sender: { fromName: 'Acme Billing', replyTo: 'accounts@example.com', footer: 'Acme Ltd, 1 Main St' },
    });

    // Act
    await h.run(composeJob());

    // Assert
    const draft = onlyDraft(h.ledger);
    expect(draft).toMatchObject({ fromName: 'Acme Billing', replyTo: 'accounts@example.com' });
    expect(draft.html).toContain('href="https://status.example.com/changes/BILL-2"');
    expect(draft.text).toContain('BILL-2: https://status.example.com/changes/BILL-2');
    for (const part of [draft.html, draft.text]) {
      expect(part).toContain('Acme Ltd, 1 Main St');
      expect(part).not.toContain('acme.example.net');
    }
  });

  it('exports LLM calls, tokens and counts in email_composed without addresses', async () => {
    // Arrange
    const h = harness();

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.log.events('email_composed')).toEqual([
      expect.objectContaining({
        source: 'llm',
        model: 'gpt-test',
        locale: 'en',
        issueCount: 3,
        llmCalls: 1,
        promptTokens: 1000,
        completionTokens: 200,
        lostRace: false,
      }),
    ]);
    expect(JSON.stringify(h.log.lines)).not.toContain('ada@example.com');
  });

  it('stores the draft’s LLM calls and tokens on it (what herald report prices)', async () => {
    // Arrange
    const h = harness();
    const template = harness({ llm: null });

    // Act
    await h.run(composeJob());
    await template.run(composeJob());

    // Assert
    expect([...h.ledger.drafts.values()].map((d) => d.usage)).toEqual([
      { llmCalls: 1, promptTokens: 1000, completionTokens: 200 },
    ]);
    expect([...template.ledger.drafts.values()].map((d) => d.usage)).toEqual([
      { llmCalls: 0, promptTokens: 0, completionTokens: 0 },
    ]);
  });

  it('records the chunk’s fan-out after queueing its send jobs, and the owners’ summary when the policy names owners', async () => {
    // Arrange
    const h = harness({ policy: { ...NO_COVERAGE_MINIMUM, notify: ['owner@example.com'] } });
    const records = new FakeDeliveryRecords();
    h.deps.records = records;

    // Act
    await h.run(composeJob());

    // Assert
    expect([...records.plans.values()].map((p) => [p.versionName, p.groups])).toEqual([
      [
        'Billing 2.4',
        [
          {
            draftKey: [...h.ledger.drafts.keys()][0],
            audience: 'all',
            locale: 'en',
            emails: ['ada@example.com'],
          },
        ],
      ],
    ]);
    expect(h.queue.bodies('herald-send').map((b) => b.kind)).toEqual(['send.job', 'point.summary']);
  });

  it('makes one LLM call for two chunks of the same locale: the second uses the cached draft', async () => {
    // Arrange
    const h = harness();
    const first = composeJob({
      chunk: { index: 0, count: 2 },
      recipients: [{ email: 'ada@example.com', locale: 'en' }],
    });
    const second = composeJob({
      chunk: { index: 1, count: 2 },
      recipients: [{ email: 'grace@example.com', locale: 'en' }],
    });

    // Act
    await h.run(first);
    await h.run(second);

    // Assert
    expect(h.llm.requests).toHaveLength(1);
    expect(h.log.events('draft_cache_hit')).toEqual([expect.objectContaining({ locale: 'en', llmCalls: 0 })]);
    // Two searches (the release, its scope) for the whole record, not per locale or chunk.
    expect(h.jira.calls.filter((c) => c.startsWith('listReleaseIssues'))).toHaveLength(2);
    expect(h.sendJobs().map((j) => [j.payload.recipient.email, j.payload.draftKey])).toEqual([
      ['ada@example.com', 'draft:10042:b1d0h0m0900@2026-12-15:en'],
      ['grace@example.com', 'draft:10042:b1d0h0m0900@2026-12-15:en'],
    ]);
  });

  it('makes no LLM call when a job is redelivered', async () => {
    // Arrange
    const h = harness();
    await h.run(composeJob());

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(1);
    expect(h.queue.sent).toHaveLength(2);
  });

  it('makes one LLM call per locale and sends each recipient the draft of their locale', async () => {
    // Arrange
    const h = harness();
    const job = composeJob({
      recipients: [
        { email: 'ada@example.com', locale: 'en' },
        { email: 'karl@example.org', locale: 'de' },
        { email: 'grace@example.com', locale: 'en' },
      ],
    });

    // Act
    await h.run(job);

    // Assert
    expect(h.llm.requests.map((r) => r.locale)).toEqual(['en', 'de']);
    expect([...h.ledger.drafts.keys()]).toEqual([
      'draft:10042:b1d0h0m0900@2026-12-15:en',
      'draft:10042:b1d0h0m0900@2026-12-15:de',
    ]);
    // Two searches (the release, its scope) for the whole record, not per locale or chunk.
    expect(h.jira.calls.filter((c) => c.startsWith('listReleaseIssues'))).toHaveLength(2);
    expect(h.sendJobs().map((j) => [j.key, j.payload.draftKey])).toEqual([
      [sendKey(job, 'ada@example.com'), 'draft:10042:b1d0h0m0900@2026-12-15:en'],
      [sendKey(job, 'karl@example.org'), 'draft:10042:b1d0h0m0900@2026-12-15:de'],
      [sendKey(job, 'grace@example.com'), 'draft:10042:b1d0h0m0900@2026-12-15:en'],
    ]);
  });

  it('queues one send job per distinct recipient', async () => {
    // Arrange
    const h = harness();
    const job = composeJob({
      recipients: [
        { email: 'ada@example.com', locale: 'en' },
        { email: 'ada@example.com', locale: 'en' },
        ...Array.from({ length: 12 }, (_, i) => ({ email: `r${i}@example.net`, locale: 'en' })),
      ],
    });

    // Act
    await h.run(job);

    // Assert
    const keys = h.sendJobs().map((j) => j.key);
    expect(keys).toHaveLength(13);
    expect(new Set(keys).size).toBe(13);
    expect(keys[0]).toBe('10042:b1d0h0m0900@2026-12-15:ada@example.com');
  });

  it('retries once with feedback naming the unknown keys, and keeps a corrected answer', async () => {
    // Arrange
    const h = harness({
      llm: new FakeLlm([llmEmail(['BILL-1', 'BILL-99', 'OPS-7']), llmEmail(['BILL-1', 'BILL-3'])]),
    });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(2);
    expect(h.llm.requests[0]?.feedback).toBeUndefined();
    expect(h.llm.requests[1]?.feedback).toContain('BILL-99, OPS-7');
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('llm');
    expect(draft.issueKeys).toEqual(['BILL-1', 'BILL-3']);
    expect(draft.html).not.toContain('BILL-99');
    expect(h.log.events('email_composed')).toEqual([
      expect.objectContaining({ llmCalls: 2, promptTokens: 2000, completionTokens: 400 }),
    ]);
  });

  it('falls back to the template, marked as such, when the retry cites unknown keys again', async () => {
    // Arrange
    const h = harness({ llm: new FakeLlm([llmEmail(['BILL-99'])]) });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(2);
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('template');
    expect(draft.model).toBeUndefined();
    expect(draft.html).toContain('Summary generated from Jira.');
    expect(draft.text).toContain('Summary generated from Jira.');
    expect(draft.html).not.toContain('BILL-99');
    expect(draft.issueKeys).toEqual(['BILL-1', 'BILL-3', 'BILL-2']);
    expect(h.log.events('email_composed')).toEqual([
      expect.objectContaining({ source: 'template', llmCalls: 2 }),
    ]);
    expect(h.sendJobs()).toHaveLength(1);
  });

  it('retries once with feedback naming links and contact details, and keeps a clean answer', async () => {
    // Arrange: issue text told the model to send readers somewhere.
    const hostile = llmEmail(['BILL-1'], {
      intro: 'Please re-verify your account at evil-login.example or call +1 555 0100.',
    });
    const h = harness({ llm: new FakeLlm([hostile, llmEmail(['BILL-1'])]) });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(2);
    expect(h.llm.requests[1]?.feedback).toContain('domain "evil-login.example" in intro');
    expect(h.llm.requests[1]?.feedback).toContain('phone "+1 555 0100" in intro');
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('llm');
    expect(draft.html).not.toContain('evil-login');
    expect(h.log.events('llm_content_policy_violated')).toEqual([
      expect.objectContaining({
        violations: [
          { field: 'intro', kind: 'domain' },
          { field: 'intro', kind: 'phone' },
        ],
      }),
    ]);
  });

  it('falls back to the template when the retry still contains a URL or an address', async () => {
    // Arrange
    const h = harness({
      llm: new FakeLlm([
        llmEmail(['BILL-1'], { outro: 'Questions? Write to helpdesk@evil.example' }),
        llmEmail(['BILL-1'], { subject: 'Billing 2.4: see https://evil.example/notes' }),
      ]),
    });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(2);
    expect(h.llm.requests[1]?.feedback).toContain('email "helpdesk@evil.example" in outro');
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('template');
    expect(draft.html).not.toContain('evil.example');
    expect(draft.text).not.toContain('evil.example');
    expect(h.log.events('llm_content_policy_violated')).toHaveLength(2);
    // The violating text (an address) is never logged.
    expect(JSON.stringify(h.log.lines)).not.toContain('helpdesk@evil.example');
    expect(h.sendJobs()).toHaveLength(1);
  });

  it('names unknown keys and content violations together in one retry', async () => {
    // Arrange
    const h = harness({
      llm: new FakeLlm([
        llmEmail(['BILL-99'], { intro: 'Details at www.evil.example' }),
        llmEmail(['BILL-1']),
      ]),
    });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(2);
    expect(h.llm.requests[1]?.feedback).toContain('not issues of this release: BILL-99');
    expect(h.llm.requests[1]?.feedback).toContain('url "www.evil.example" in intro');
    expect(onlyDraft(h.ledger).source).toBe('llm');
  });

  it('falls back to the template when the LLM answer is unusable, counting its tokens', async () => {
    // Arrange
    const refusal = new LlmOutputError('refusal', 'the model refused', {
      model: 'gpt-test',
      usage: { promptTokens: 900, completionTokens: 5 },
    });
    const h = harness({ llm: new FakeLlm([refusal]) });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(1);
    expect(onlyDraft(h.ledger).source).toBe('template');
    expect(h.log.events('llm_answer_unusable')).toHaveLength(1);
    expect(h.log.events('email_composed')).toEqual([
      expect.objectContaining({ source: 'template', llmCalls: 1, promptTokens: 900, completionTokens: 5 }),
    ]);
  });

  it('writes every draft from the template when no LLM is configured', async () => {
    // Arrange
    const h = harness({ llm: null });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(0);
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('template');
    expect(draft.subject).toBe('Billing Billing 2.4 is coming tomorrow');
    expect(draft.html).toContain('Summary generated from Jira.');
    expect(h.log.events('email_composed')).toEqual([
      expect.objectContaining({ source: 'template', llmCalls: 0 }),
    ]);
    expect(h.sendJobs()).toHaveLength(1);
  });

  it('rethrows a transient LLM failure, storing no draft and queueing nothing', async () => {
    // Arrange: too little time left for an in-call retry, so the error goes back to the ladder.
    const h = harness({ llm: new FakeLlm([new RetryableError('429 from the API')]) });

    // Act / Assert
    await expect(h.run(composeJob(), { remainingMs: 1_000 })).rejects.toBeInstanceOf(RetryableError);
    expect(h.ledger.drafts.size).toBe(0);
    expect(h.queue.sent).toHaveLength(0);
  });

  it('sends the draft another chunk stored first when it loses the race', async () => {
    // Arrange: the cache read misses, but another chunk stores its draft before ours.
    const h = harness();
    const theirs: EmailDraft = {
      key: 'draft:10042:b1d0h0m0900@2026-12-15:en',
      source: 'llm',
      model: 'gpt-test',
      locale: 'en',
      subject: 'Theirs',
      html: `<p>${DRAFT_PLACEHOLDERS.name} ${DRAFT_PLACEHOLDERS.unsubscribeUrl}</p>`,
      text: `${DRAFT_PLACEHOLDERS.name} ${DRAFT_PLACEHOLDERS.unsubscribeUrl}`,
      issueKeys: ['BILL-1'],
      createdAt: '2026-12-14T08:00:01.000Z',
    };
    h.ledger.getDraft = async () => {
      h.ledger.drafts.set(theirs.key, theirs);
      return null;
    };

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.ledger.drafts.get(theirs.key)).toBe(theirs);
    expect(h.log.events('email_composed')).toEqual([expect.objectContaining({ lostRace: true })]);
    expect(h.sendJobs()[0]?.payload.draftKey).toBe(theirs.key);
  });

  it('includes the on-release point when the version is released', async () => {
    // Arrange
    const h = harness();
    h.jira.versions.set('10042', activeVersion({ released: true }));
    const job = composeJob({ pointId: 'onrelease', pointKind: 'on_release' });

    // Act
    await h.run(job);

    // Assert
    expect(h.llm.requests[0]).toMatchObject({ pointKind: 'on_release', daysBefore: undefined });
    expect(h.sendJobs()).toHaveLength(1);
  });

  it('rejects a body that is not a compose.job with a ContractError', async () => {
    // Arrange
    const h = harness();

    // Act / Assert
    await expect(
      processRecord(sqsRecord({ body: '{"v":1,"kind":"send.job"}' }), recordContext(h.log.logger), h.deps),
    ).rejects.toBeInstanceOf(ContractError);
    expect(h.jira.calls).toEqual([]);
  });
});

describe('Function: processRecord (compose, truncated release)', () => {
  it('closes the LLM email with the "further issues" line when Jira holds more issues than were read', async () => {
    // Arrange: the model is never told the list was cut at JIRA_MAX_ISSUES.
    const h = harness();
    h.jira.issues.set('10042', issues(3));
    h.jira.truncated.add('10042');

    // Act
    await h.run(composeJob());

    // Assert
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('llm');
    expect(draft.text).toContain('Thanks for working with us. Jira lists further issues for this release.');
    expect(draft.html).toContain('Jira lists further issues for this release.');
  });

  it('keeps the LLM email as written when the read was complete', async () => {
    const h = harness();

    await h.run(composeJob());

    expect(onlyDraft(h.ledger).text).not.toContain('Jira lists further issues');
  });

  it('shortens a full-length outro so the line still fits the schema limit', async () => {
    const h = harness({ llm: new FakeLlm([llmEmail(['BILL-1'], { outro: 'o'.repeat(1000) })]) });
    h.jira.issues.set('10042', issues(3));
    h.jira.truncated.add('10042');

    await h.run(composeJob());

    const outro = onlyDraft(h.ledger)
      .text.split('\n')
      .find((line) => line.includes('Jira lists further issues'));
    expect(outro?.length).toBeLessThanOrEqual(1000);
    expect(outro).toMatch(/^o+… Jira lists further issues for this release\.$/);
  });
});

describe('Function: processRecord (compose, grounding and coverage)', () => {
  it('retries "Free lifetime upgrades for everyone" citing a real key with feedback naming the item and words', async () => {
    // Arrange
    const invented = llmEmail(['BILL-1', 'BILL-2', 'BILL-3']);
    const [section] = invented.sections;
    if (section) section.items[0] = { text: 'Free lifetime upgrades for everyone', issueKeys: ['BILL-1'] };
    const h = harness({ llm: new FakeLlm([invented, llmEmail(['BILL-1', 'BILL-2', 'BILL-3'])]) });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests[1]?.feedback).toContain(
      'sections[0].items[0]: promises the cited issues do not make ("Free", "lifetime")',
    );
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('llm');
    expect(draft.text).not.toContain('Free lifetime');
    expect(h.log.events('llm_grounding_failed')).toHaveLength(1);
  });

  it('uses the template when the intro names a key that is not in the release, twice', async () => {
    // Arrange
    const h = harness({
      llm: new FakeLlm([llmEmail(['BILL-1', 'BILL-2', 'BILL-3'], { intro: 'We also fixed SHOP-999.' })]),
    });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(2);
    expect(h.llm.requests[1]?.feedback).toContain('not issues of this release: SHOP-999');
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('template');
    expect(draft.text).not.toContain('SHOP-999');
  });

  it('records coverage in the draft and email_composed', async () => {
    // Arrange
    const h = harness({ llm: new FakeLlm([llmEmail(['BILL-1', 'BILL-3'])]) });

    // Act
    await h.run(composeJob());

    // Assert
    expect(onlyDraft(h.ledger).coverage).toEqual({
      inScope: 3,
      mentioned: ['BILL-1', 'BILL-3'],
      missing: ['BILL-2'],
    });
    expect(h.log.events('email_composed')).toEqual([expect.objectContaining({ coverage: '2/3' })]);
  });

  it('retries once naming the missing issues when coverage is below the default 0.8, then keeps a full answer', async () => {
    // Arrange
    const h = harness({
      llm: new FakeLlm([llmEmail(['BILL-1', 'BILL-2']), llmEmail(['BILL-1', 'BILL-2', 'BILL-3'])]),
      policy: DEFAULT_SEND_POLICY,
    });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests[1]?.feedback).toContain('mentioned 2 of the 3 issues');
    expect(h.llm.requests[1]?.feedback).toContain('Also cover these issues: BILL-3.');
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('llm');
    expect(draft.coverage).toEqual({ inScope: 3, mentioned: ['BILL-1', 'BILL-2', 'BILL-3'], missing: [] });
  });

  it('uses the template, which covers every issue, when coverage stays low', async () => {
    // Arrange
    const h = harness({ llm: new FakeLlm([llmEmail(['BILL-1'])]), policy: DEFAULT_SEND_POLICY });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(2);
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('template');
    // The template lists issues by type: the bugs BILL-1 and BILL-3 first, then the story BILL-2.
    expect(draft.coverage).toEqual({ inScope: 3, mentioned: ['BILL-1', 'BILL-3', 'BILL-2'], missing: [] });
    expect(h.log.events('llm_coverage_low')).toHaveLength(2);
  });

  it('applies the policy minCoverage', async () => {
    // Arrange
    const h = harness({
      llm: new FakeLlm([llmEmail(['BILL-1'])]),
      policy: { ...DEFAULT_SEND_POLICY, minCoverage: 0.3 },
    });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(1);
    expect(onlyDraft(h.ledger).source).toBe('llm');
  });
});

describe('Function: processRecord (compose, grounding verifier)', () => {
  const VERIFY: SendPolicy = { ...DEFAULT_SEND_POLICY, minCoverage: 0.6, verifyGrounding: true };
  const ALL = ['BILL-1', 'BILL-2', 'BILL-3'];

  it('makes no verifier call unless the policy asks for one', async () => {
    // Arrange
    const h = harness({ llm: new FakeLlm([llmEmail(ALL)]) });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.verifyRequests).toHaveLength(0);
    expect(onlyDraft(h.ledger).verifier).toBeUndefined();
  });

  it('sends each item with only its cited issues and records a supported draft', async () => {
    // Arrange
    const h = harness({ llm: new FakeLlm([llmEmail(ALL)]), policy: VERIFY });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.verifyRequests).toHaveLength(1);
    expect(h.llm.verifyRequests[0]?.items.map((i) => i.id)).toEqual(['s0i0', 's0i1', 's0i2']);
    expect(h.llm.verifyRequests[0]?.issues.map((i) => i.key)).toEqual(ALL);
    const draft = onlyDraft(h.ledger);
    expect(draft.verifier).toEqual({ outcome: 'supported', model: 'gpt-verify' });
    expect(draft.removedItems).toBeUndefined();
    expect(h.log.events('email_composed')).toEqual([
      expect.objectContaining({ llmCalls: 2, verifierCalls: 1, promptTokens: 1500, completionTokens: 250 }),
    ]);
  });

  it('removes an unsupported item and lists it in the draft when the rest passes', async () => {
    // Arrange
    const llm = new FakeLlm([llmEmail(ALL)]);
    llm.verifyScript = [['s0i1']];
    const h = harness({ llm, policy: VERIFY });

    // Act
    await h.run(composeJob());

    // Assert
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('llm');
    expect(draft.verifier?.outcome).toBe('items_removed');
    expect(draft.removedItems).toEqual([
      { text: 'Improved BILL-2', issueKeys: ['BILL-2'], reason: 'the cited issue says something else' },
    ]);
    // One item fewer than the answer had (keys are cut from client text by default).
    expect(draft.text.match(/^- Improved$/gm)).toHaveLength(ALL.length - 1);
    expect(draft.coverage?.missing).toEqual(['BILL-2']);
    expect(h.llm.requests).toHaveLength(1);
  });

  it("retries with the verifier's reasons when too little would remain, verifying once per draft", async () => {
    // Arrange
    const llm = new FakeLlm([llmEmail(ALL), llmEmail(ALL)]);
    llm.verifyScript = [['s0i0', 's0i1']];
    const h = harness({ llm, policy: VERIFY });

    // Act
    await h.run(composeJob());

    // Assert
    expect(h.llm.requests).toHaveLength(2);
    expect(h.llm.requests[1]?.feedback).toContain(
      '"Improved BILL-1" citing BILL-1 (the cited issue says something else)',
    );
    expect(h.llm.verifyRequests).toHaveLength(1);
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('llm');
    expect(draft.verifier?.outcome).toBe('rejected');
    expect(h.log.events('email_composed')).toEqual([
      expect.objectContaining({ llmCalls: 3, verifierCalls: 1 }),
    ]);
  });

  it('uses the template when the retry after a rejection fails the checks', async () => {
    // Arrange
    const llm = new FakeLlm([llmEmail(ALL), llmEmail(['BILL-99'])]);
    llm.verifyScript = [['s0i0', 's0i1', 's0i2']];
    const h = harness({ llm, policy: VERIFY });

    // Act
    await h.run(composeJob());

    // Assert
    expect(onlyDraft(h.ledger).source).toBe('template');
  });

  it('keeps the checked answer, marked unavailable, when the verifier answer is unusable', async () => {
    // Arrange
    const llm = new FakeLlm([llmEmail(ALL)]);
    llm.verifyScript = [new LlmOutputError('invalid_json', 'not JSON')];
    const h = harness({ llm, policy: VERIFY });

    // Act
    await h.run(composeJob());

    // Assert
    const draft = onlyDraft(h.ledger);
    expect(draft.source).toBe('llm');
    expect(draft.verifier).toEqual({ outcome: 'unavailable' });
    expect(h.log.events('llm_verifier_unavailable')).toHaveLength(1);
  });

  it('rethrows a transient verifier failure for the redelivery ladder', async () => {
    // Arrange
    const llm = new FakeLlm([llmEmail(ALL)]);
    llm.verifyScript = [new RetryableError('503 from the API')];
    const h = harness({ llm, policy: VERIFY });

    // Act / Assert
    // Time for one attempt of each call, none for an in-call retry.
    await expect(h.run(composeJob(), { remainingMs: 7_100 })).rejects.toThrow('503 from the API');
    expect(h.llm.verifyRequests).toHaveLength(1);
    expect(h.ledger.drafts.size).toBe(0);
  });
});

describe('Function: processRecord (compose) past the deadline', () => {
  it('records a job past its notAfter as missed, sends nothing and succeeds; a redelivery records nothing new', async () => {
    // Arrange: the job's deadline passed 5 s ago.
    const h = harness();
    const job = composeJob({ notAfter: '2026-12-14T08:00:00.000Z' });

    // Act
    await h.run(job);
    await h.run(job);

    // Assert
    expect(h.llm.requests).toHaveLength(0);
    expect(h.queue.sent).toHaveLength(0);
    expect(h.ledger.drafts.size).toBe(0);
    expect([...h.ledger.outcomes.entries()]).toEqual([
      [
        'point#10042:b1d0h0m0900@2026-12-15:Europe/Berlin',
        {
          status: 'missed',
          reason: 'past_deadline',
          versionId: '10042',
          pointId: 'b1d0h0m0900',
          releaseDate: '2026-12-15',
          timeZone: 'Europe/Berlin',
        },
      ],
    ]);
    expect(h.log.events('point_missed').map((l) => l.recorded)).toEqual([true, false]);
    expect(h.log.events('point_missed')[0]).toMatchObject({
      notAfter: '2026-12-14T08:00:00.000Z',
      lateMs: 5000,
    });
  });

  it('turns a caught-up point that still fires past its deadline into missed, under the same key', async () => {
    // Arrange: the schedule stage caught the point up; its job ran late anyway.
    const h = harness();
    const key = '10042:b1d0h0m0900@2026-12-15:Europe/Berlin';
    await h.ledger.recordPointOutcome(key, {
      status: 'caught_up',
      reason: 'catch_up',
      versionId: '10042',
      pointId: 'b1d0h0m0900',
      releaseDate: '2026-12-15',
      timeZone: 'Europe/Berlin',
    });

    // Act
    await h.run(composeJob({ notAfter: '2026-12-14T08:00:00.000Z', chunk: { index: 1, count: 2 } }));

    // Assert
    expect(h.ledger.outcomes.get(`point#${key}`)).toMatchObject({
      status: 'missed',
      reason: 'past_deadline',
    });
    expect(h.queue.sent).toHaveLength(0);
  });

  it('uses the due time plus the default 6 h for a job scheduled before deadlines existed', async () => {
    // Arrange: due 6 h and 1 s before now, no notAfter; one due 6 h before now is still in time.
    const h = harness();
    const missed = composeJob({ dueAt: '2026-12-14T02:00:04.000Z' });
    const inTime = composeJob({ dueAt: '2026-12-14T02:00:05.000Z', pointId: 'b1d0h0m0800' });

    // Act
    await h.run(missed);
    await h.run(inTime);

    // Assert
    expect(h.log.events('point_missed')).toHaveLength(1);
    expect(h.sendJobs().map((j) => [j.payload.pointId, j.payload.notAfter])).toEqual([
      ['b1d0h0m0800', '2026-12-14T08:00:05.000Z'],
    ]);
  });

  it('words a late point from the day it goes out and passes its deadline on to each send job', async () => {
    // Arrange: the 7-day point (due 8 December) goes out on 14 December, within a 7-day lateness.
    const h = harness();
    const job = composeJob({
      pointId: 'b7d0h0m0900',
      dueAt: '2026-12-08T08:00:00.000Z',
      notAfter: '2026-12-15T08:00:00.000Z',
    });

    // Act
    await h.run(job);

    // Assert
    expect(h.llm.requests[0]).toMatchObject({ pointKind: 'before', daysBefore: 1 });
    expect(h.sendJobs()[0]?.payload.notAfter).toBe('2026-12-15T08:00:00.000Z');
    expect(h.log.events('point_missed')).toEqual([]);
  });
});
