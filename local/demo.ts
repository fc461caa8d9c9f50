import { createHmac } from 'node:crypto';
import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import type { JiraPort } from '#adapters/jira/JiraPort';
import { DEFAULT_AUDIENCE } from '#contracts/issueScope';
import { parsePointSpecs, type SendPolicy } from '#contracts/sendPolicy';
import { utcToZoned } from '#shared/zonedTime';
import { ReleaseScope } from '#stages/compose/releaseScope';
import type { JiraStandIn, StandInIssue } from '#test/standins/JiraStandIn';

/** The demo project, version and contacts (example.com addresses only). */
export const DEMO = {
  project: { id: '10000', key: 'DEMO', name: 'Demo Shop' },
  versionId: '10001',
  versionName: 'Release 1.0',
  /** The demo's sender identity: From "Demo Shop releases" (the default), a Reply-To and a footer. */
  sender: {
    replyTo: 'account-team@example.com',
    footer: 'Demo Shop GmbH · Musterstraße 1 · 10115 Berlin · Germany',
  },
  contacts: [
    { email: 'ada@example.com', name: 'Ada', locale: 'en' },
    { email: 'grace@example.org', name: 'Grace', locale: 'en' },
    { email: 'linus@example.net', locale: 'de' },
  ],
  issues: [
    { key: 'DEMO-1', summary: 'Checkout remembers the last delivery address', issueType: 'Story' },
    { key: 'DEMO-2', summary: 'Faster search results on the product list', issueType: 'Story' },
    { key: 'DEMO-3', summary: 'Invoices can be downloaded as PDF', issueType: 'Story' },
    { key: 'DEMO-4', summary: 'Discount codes are no longer case sensitive', issueType: 'Improvement' },
    { key: 'DEMO-5', summary: 'Cart total was wrong when an item went out of stock', issueType: 'Bug' },
    { key: 'DEMO-6', summary: 'Password reset email arrived twice', issueType: 'Bug' },
    // Never in an email: the default scope leaves out internal work and security-level fixes.
    { key: 'DEMO-7', summary: 'Refactor the cart service', issueType: 'Task', labels: ['internal'] },
    {
      key: 'DEMO-8',
      summary: 'Session token leaked into logs',
      issueType: 'Bug',
      securityLevel: 'Security Team',
    },
  ],
} as const;

/**
 * One line per left-out issue of the demo release's default scope, read through the compose
 * stage's own scope reader against Jira, and a count: what `npm start` prints before sending.
 */
export const describeDemoScope = async (jira: JiraPort, policy: SendPolicy): Promise<string[]> => {
  const scope = new ReleaseScope({
    projectKey: DEMO.project.key,
    policy,
    read: (conditions) => jira.listReleaseIssues(DEMO.versionId, { scope: conditions }),
  });
  const { inScope, leftOut } = await scope.of({ name: DEFAULT_AUDIENCE });
  return [
    `${inScope.length} issue(s) in scope, ${leftOut.length} left out by the default scope:`,
    ...leftOut.map(
      (i) => `  ${i.key} left out: ${i.reason.replace('_', ' ')}${i.detail ? ` (${i.detail})` : ''}`,
    ),
  ];
};

/** The demo's send points: `count` points one minute apart, the first at least `leadMs` ahead. */
export const demoPoints = (
  now: Date,
  count = 3,
  leadMs = 90_000,
): { releaseDate: string; policy: SendPolicy; due: Date[] } => {
  const first = Math.ceil((now.getTime() + leadMs) / 60_000) * 60_000;
  const due = Array.from({ length: count }, (_, i) => new Date(first + i * 60_000));
  const last = due.at(-1) ?? new Date(first);
  const releaseDate = utcToZoned(last, 'UTC').slice(0, 10);
  const releaseDay = Date.parse(`${releaseDate}T00:00:00Z`);
  const specs = due.map((d) => {
    const local = utcToZoned(d, 'UTC');
    const days = Math.round((Date.parse(`${local.slice(0, 10)}T00:00:00Z`) - releaseDay) / 86_400_000);
    return `${days}d@${local.slice(11, 16)}`;
  });
  return {
    releaseDate,
    due,
    policy: {
      points: parsePointSpecs(specs.join(',')),
      onRelease: false,
      timeZone: 'UTC',
      defaultLocale: 'en',
      references: 'none',
      sender: DEMO.sender,
    },
  };
};

/**
 * Fills the Jira stand-in and the directory with the demo release, due from `now`.
 * @param contacts the demo's contacts; default {@link DEMO}'s (tests give unique addresses).
 */
export const seedDemo = async (
  jira: JiraStandIn,
  directory: DirectoryPort,
  now: Date,
  contacts: ReadonlyArray<{ email: string; name?: string; locale: string }> = DEMO.contacts,
) => {
  const { releaseDate, policy, due } = demoPoints(now);
  jira.putProject(DEMO.project);
  jira.putVersion({
    id: DEMO.versionId,
    projectId: DEMO.project.id,
    name: DEMO.versionName,
    description: 'A small release to show release-herald end to end.',
    releaseDate,
  });
  jira.setIssues(
    DEMO.versionId,
    DEMO.issues.map(
      (i): StandInIssue => ({
        key: i.key,
        summary: i.summary,
        issueType: i.issueType,
        ...('labels' in i ? { labels: [...i.labels] } : {}),
        ...('securityLevel' in i ? { securityLevel: i.securityLevel } : {}),
      }),
    ),
  );
  await directory.putPolicy(DEMO.project.key, policy);
  for (const contact of contacts) {
    await directory.putContact(DEMO.project.key, { ...contact, timeZone: 'UTC', optedOut: false });
  }
  return { releaseDate, policy, due };
};

/** The body Jira Cloud would POST for `jira:version_created` of the demo version. */
export const demoWebhookBody = (releaseDate: string, now: Date): string =>
  JSON.stringify({
    timestamp: now.getTime(),
    webhookEvent: 'jira:version_created',
    version: {
      self: `https://example.atlassian.net/rest/api/3/version/${DEMO.versionId}`,
      id: DEMO.versionId,
      name: DEMO.versionName,
      archived: false,
      released: false,
      releaseDate,
      projectId: Number(DEMO.project.id),
    },
  });

/** POSTs a webhook body signed like Jira (`X-Hub-Signature: sha256=<hex>`). */
export const postSignedWebhook = async (url: string, secret: string, body: string): Promise<number> => {
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature': signature },
    body,
  });
  await response.arrayBuffer();
  return response.status;
};
