import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealToken } from '#shared/sealedToken';
import type { SigningKeys } from '#shared/signingKeys';
import { signUnsubscribeToken, unsubscribeUrl } from '#shared/unsubscribeToken';
import { handleRequest, type WebhookDeps } from '#stages/webhook/handleRequest';
import type { HttpRequest } from '#stages/webhook/types';
import { FakeBus } from '#test/factories/FakeBus';
import { FakeDirectory } from '#test/factories/FakeDirectory';
import { FakeLedger } from '#test/factories/FakeLedger';
import { memoryLogger } from '#test/factories/memoryLogger';

const SECRET = 'test-webhook-secret';
const CURRENT_KEY = 'current-signing-key-0123456789abcdef';
const OLD_KEY = 'old-signing-key-0123456789abcdefghij';
const KEYS: SigningKeys = { keys: [CURRENT_KEY, OLD_KEY] };
const NOW = new Date('2026-01-05T10:00:00.000Z');

const setup = (overrides: Partial<WebhookDeps> = {}) => {
  const bus = new FakeBus();
  const directory = new FakeDirectory();
  const log = memoryLogger();
  const deps: WebhookDeps = {
    bus,
    directory,
    webhookSecret: async () => SECRET,
    logger: log.logger,
    now: () => NOW,
    signingKeys: async () => KEYS,
    reviewSigningKeys: async () => ({ keys: ['review-signing-key-0123456789abcdef'] }),
    approvals: new FakeLedger(),
    drafts: new FakeLedger(),
    ...overrides,
  };
  return { bus, directory, log, deps };
};

const versionBody = JSON.stringify({
  timestamp: 1767225600000,
  webhookEvent: 'jira:version_created',
  version: { id: '10001', name: 'v1.0', projectId: '10000', released: false, archived: false },
});

const signed = (body: string | Buffer, secret = SECRET): HttpRequest => {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature': `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`,
    },
    body: bytes,
  };
};

const pathOf = (url: string): string => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe('Function: handleRequest', () => {
  describe('webhook', () => {
    it('puts one bus event and answers 202 when the signature verifies', async () => {
      // Arrange
      const { bus, deps } = setup();

      // Act
      const res = await handleRequest(signed(versionBody), deps);

      // Assert
      expect(res.status).toBe(202);
      expect(JSON.parse(res.body)).toEqual({ accepted: true });
      expect(bus.events).toEqual([
        { source: 'jira', detailType: 'jira:version_created', detail: versionBody, time: NOW.getTime() },
      ]);
    });

    it('also accepts POST /webhook and forwards non-version events (the bus rule filters)', async () => {
      const { bus, deps } = setup();
      const body = JSON.stringify({ timestamp: 1, webhookEvent: 'jira:issue_updated' });

      const res = await handleRequest({ ...signed(body), path: '/webhook' }, deps);

      expect(res.status).toBe(202);
      expect(bus.events.map((e) => e.detailType)).toEqual(['jira:issue_updated']);
    });

    it('answers 401 and puts nothing when the signature is forged', async () => {
      // Arrange
      const { bus, log, deps } = setup();
      const forged = signed(versionBody, 'not-the-secret');

      // Act
      const res = await handleRequest(forged, deps);

      // Assert
      expect(res.status).toBe(401);
      expect(bus.events).toEqual([]);
      expect(log.events('webhook_rejected')).toEqual([expect.objectContaining({ reason: 'bad_signature' })]);
      expect(JSON.stringify(log.lines)).not.toContain('version_created');
    });

    it('answers 401 when the signature header is missing', async () => {
      const { bus, log, deps } = setup();
      const req = signed(versionBody);

      const res = await handleRequest({ ...req, headers: { 'content-type': 'application/json' } }, deps);

      expect(res.status).toBe(401);
      expect(bus.events).toEqual([]);
      expect(log.events('webhook_rejected')).toEqual([
        expect.objectContaining({ reason: 'missing_signature' }),
      ]);
    });

    it('answers 413 for a body over the cap, before checking anything else', async () => {
      // Arrange
      const { bus, deps } = setup({ maxBodyBytes: 1024 });
      const big = JSON.stringify({ webhookEvent: 'jira:version_created', pad: 'x'.repeat(2000) });

      // Act
      const res = await handleRequest(signed(big), deps);

      // Assert
      expect(res.status).toBe(413);
      expect(bus.events).toEqual([]);
    });

    it('uses the topology cap of 64 KiB by default', async () => {
      const { deps } = setup();
      const big = JSON.stringify({ webhookEvent: 'jira:version_created', pad: 'x'.repeat(64 * 1024) });

      const res = await handleRequest(signed(big), deps);

      expect(res.status).toBe(413);
    });

    it('answers 400 for a signed body that is not JSON', async () => {
      const { bus, deps } = setup();

      const res = await handleRequest(signed('webhookEvent=jira:version_created'), deps);

      expect(res.status).toBe(400);
      expect(bus.events).toEqual([]);
    });

    it.each([
      ['no webhookEvent', { timestamp: 1 }],
      ['a non-string webhookEvent', { webhookEvent: 42 }],
      ['an array', [{ webhookEvent: 'jira:version_created' }]],
    ])('answers 400 for JSON with %s', async (_name, body) => {
      const { bus, deps } = setup();

      const res = await handleRequest(signed(JSON.stringify(body)), deps);

      expect(res.status).toBe(400);
      expect(bus.events).toEqual([]);
    });

    it('answers 500 and logs the error when the bus fails (Jira retries 5xx)', async () => {
      const { bus, log, deps } = setup();
      bus.failWith = new Error('PutEvents failed');

      const res = await handleRequest(signed(versionBody), deps);

      expect(res.status).toBe(500);
      expect(log.events('request_failed')).toHaveLength(1);
    });
  });

  describe('unsubscribe', () => {
    const subject = { projectKey: 'ABC', email: 'client@example.com' };

    it('shows a confirmation form that posts back to the same link, and opts nobody out', async () => {
      // Arrange
      const { directory, deps } = setup();
      const path = pathOf(unsubscribeUrl('https://hooks.example.com/unsubscribe', KEYS, subject));

      // Act
      const res = await handleRequest({ method: 'GET', path, headers: {}, body: Buffer.alloc(0) }, deps);

      // Assert
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<form method="post"');
      expect(res.body).toContain(`action="${path.replaceAll('&', '&amp;')}"`);
      expect(res.body).toContain('name="List-Unsubscribe" value="One-Click"');
      expect(directory.optOuts.size).toBe(0);
      // A one-click page must not be framed.
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
    });

    it('escapes the project key and address on the confirmation page', async () => {
      // Arrange
      const { deps } = setup();
      const hostile = { projectKey: '<script>alert(1)</script>', email: 'a"b\'<i>@example.com' };
      const path = pathOf(unsubscribeUrl('https://hooks.example.com/unsubscribe', KEYS, hostile));

      // Act
      const res = await handleRequest({ method: 'GET', path, headers: {}, body: Buffer.alloc(0) }, deps);

      // Assert
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('<script>');
      expect(res.body).not.toContain('<i>');
      expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.body).toContain('a&quot;b&#39;&lt;i&gt;@example.com');
    });

    it('opts the address out on the one-click POST', async () => {
      // Arrange
      const { directory, log, deps } = setup();
      const path = pathOf(unsubscribeUrl('https://hooks.example.com/unsubscribe', KEYS, subject));

      // Act
      const res = await handleRequest(
        {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.from('List-Unsubscribe=One-Click'),
        },
        deps,
      );

      // Assert
      expect(res.status).toBe(200);
      expect([...directory.optOuts]).toEqual([['client@example.com', 'unsubscribe_link']]);
      expect(log.events('contact_opted_out')).toHaveLength(1);
      expect(JSON.stringify(log.lines)).not.toContain('client@example.com');
    });

    it('carries neither the address nor the project in the link', () => {
      // Act
      const url = new URL(unsubscribeUrl('https://hooks.example.com/unsubscribe', KEYS, subject));

      // Assert
      expect([...url.searchParams.keys()]).toEqual(['t']);
      for (const clear of ['client', 'ABC', '%40', '@']) expect(url.href).not.toContain(clear);
      expect(
        Buffer.from(url.searchParams.get('t')?.slice(3) ?? '', 'base64url').toString('latin1'),
      ).not.toContain('client');
    });

    it('opts out through a link signed with an older key still in the list (rotation)', async () => {
      // Arrange: the link was sent when OLD_KEY was the first key.
      const { directory, deps } = setup();
      const path = pathOf(
        unsubscribeUrl('https://hooks.example.com/unsubscribe', { keys: [OLD_KEY] }, subject),
      );

      // Act
      const res = await handleRequest({ method: 'POST', path, headers: {}, body: Buffer.alloc(0) }, deps);

      // Assert
      expect(res.status).toBe(200);
      expect([...directory.optOuts]).toEqual([['client@example.com', 'unsubscribe_link']]);
    });

    const token = signUnsubscribeToken(KEYS, subject);
    const tampered = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    const legacyMac = createHmac('sha256', SECRET)
      .update('unsubscribe\nABC\nclient@example.com')
      .digest('base64url');
    it('still opts out through an old-style link of an email sent before the opaque tokens (p, e, MAC under the webhook secret)', async () => {
      // Arrange
      const { directory, deps } = setup();
      const path = `/unsubscribe?p=ABC&e=client%40example.com&t=${legacyMac}`;

      // Act
      const get = await handleRequest({ method: 'GET', path, headers: {}, body: Buffer.alloc(0) }, deps);
      const post = await handleRequest(
        { method: 'POST', path, headers: {}, body: Buffer.from('List-Unsubscribe=One-Click') },
        deps,
      );

      // Assert
      expect(get.status).toBe(200);
      expect(post.status).toBe(200);
      expect([...directory.optOuts]).toEqual([['client@example.com', 'unsubscribe_link']]);
    });

    it.each([
      ['a tampered token', `t=${tampered}`],
      ['a token cut short', `t=${token.slice(0, -4)}`],
      [
        'a forged token (sealed with a key not in the list)',
        `t=${signUnsubscribeToken({ keys: ['f'.repeat(40)] }, subject)}`,
      ],
      [
        'a token of a key dropped from the list',
        `t=${signUnsubscribeToken({ keys: ['d'.repeat(40)] }, subject)}`,
      ],
      [
        'a token sealed for another purpose',
        `t=${sealToken(KEYS, 'approval', ['ABC', 'client@example.com'])}`,
      ],
      ['a token sealed over another shape', `t=${sealToken(KEYS, 'unsubscribe', { p: 'ABC' })}`],
      ['an old-style link for another address', `p=ABC&e=other%40example.com&t=${legacyMac}`],
      [
        'an old-style link signed with another secret',
        `p=ABC&e=client%40example.com&t=${createHmac('sha256', 'not-the-webhook-secret').update('unsubscribe\nABC\nclient@example.com').digest('base64url')}`,
      ],
      ['no token', 'p=ABC&e=client%40example.com'],
      ['garbage', 't=%3Cnot-base64%3E'],
      ['an over-long token', `t=s1.${'A'.repeat(5000)}`],
    ])('answers 403 and opts nobody out for %s', async (_name, query) => {
      const { directory, deps } = setup();

      const post = await handleRequest(
        {
          method: 'POST',
          path: `/unsubscribe?${query}`,
          headers: {},
          body: Buffer.from('List-Unsubscribe=One-Click'),
        },
        deps,
      );
      const get = await handleRequest(
        { method: 'GET', path: `/unsubscribe?${query}`, headers: {}, body: Buffer.alloc(0) },
        deps,
      );

      expect(post.status).toBe(403);
      expect(get.status).toBe(403);
      expect(directory.optOuts.size).toBe(0);
    });
  });

  describe('routing', () => {
    it('answers 404 for an unknown path', async () => {
      const { deps } = setup();

      const res = await handleRequest({ ...signed(versionBody), path: '/admin' }, deps);

      expect(res.status).toBe(404);
    });

    it('answers 405 with Allow for a wrong method', async () => {
      const { bus, deps } = setup();

      const res = await handleRequest({ ...signed(versionBody), method: 'GET' }, deps);
      const del = await handleRequest(
        { method: 'DELETE', path: '/unsubscribe', headers: {}, body: Buffer.alloc(0) },
        deps,
      );

      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(del.status).toBe(405);
      expect(del.headers.allow).toBe('GET, POST');
      expect(bus.events).toEqual([]);
    });
  });
});

describe('Function: handleRequest (nesting)', () => {
  it('answers 400 body_too_deep and puts nothing for JSON nested deeper than the cap', async () => {
    // Arrange: deep enough to break a recursive parser downstream (moto's fails near 1,000).
    const { bus, log, deps } = setup();
    const deep = `{"webhookEvent":"jira:version_created","x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;

    // Act
    const res = await handleRequest(signed(deep), deps);

    // Assert
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: 'body_too_deep' });
    expect(bus.events).toEqual([]);
    expect(log.events('webhook_rejected')).toEqual([expect.objectContaining({ reason: 'body_too_deep' })]);
  });

  it('accepts nesting up to the cap', async () => {
    const { bus, deps } = setup({ maxJsonDepth: 4 });
    const body = JSON.stringify({ webhookEvent: 'jira:version_created', a: { b: { c: [] } } });

    const res = await handleRequest(signed(body), deps);

    expect(res.status).toBe(202);
    expect(bus.events).toHaveLength(1);
  });
});
