import type { DirectoryPort } from '#adapters/directory/DirectoryPort';
import { parsePointSpecs, type SendPoint } from '#contracts/sendPolicy';
import { postSignedWebhook } from '#local/demo';
import { generateIssues, type JiraStandIn } from '#test/standins/JiraStandIn';

/** Send points of every benchmark and chaos project: 7 days, 1 day before and on the day, 09:00. */
export const BENCH_POINT_SPECS = '-7d@09:00,-1d@09:00,0d@09:00';

/** Days from today to the first release date: far enough that no point is past by the real clock. */
export const RELEASE_LEAD_DAYS = 30;

/** One release of a generated workload. */
export interface BenchRelease {
  projectId: string;
  projectKey: string;
  versionId: string;
  name: string;
  /** `yyyy-mm-dd`. */
  releaseDate: string;
  /** Recipient addresses (normalised). */
  recipients: string[];
}

/** A generated workload: releases, their points, and what a user should receive. */
export interface BenchWorkload {
  releases: BenchRelease[];
  points: SendPoint[];
  /** Every `(versionId, pointId, recipient)` that must be sent exactly once, as {@link emailKey}. */
  expected: Set<string>;
  /** The latest release date: past it (plus a day) every point is due. */
  lastReleaseDate: string;
}

/** Options of {@link seedWorkload}. */
export interface SeedWorkloadOptions {
  /** Releases in all. */
  releases: number;
  /** Recipients per project. */
  recipients: number;
  /** Releases per project (the last project may have fewer). Default 5. */
  releasesPerProject?: number;
  /** Send points per release, 1..3: the last ones of {@link BENCH_POINT_SPECS}. Default 3. */
  points?: number;
  /** Issues per release. Default 12. */
  issues?: number;
  /** Tag in every address and name, to find this run's emails in a shared emulator (a-z, 0-9, -). */
  tag: string;
  /** Today, for release dates. Default now. */
  now?: Date;
  /** First numeric Jira id. Default 70000. */
  firstId?: number;
  /**
   * Spread contacts over {@link FAN_OUT}'s locales and audiences (round robin), with the
   * audiences in the policy: one draft per point × locale × audience. Default false (all `en`,
   * audience `all`).
   */
  fanOut?: boolean;
}

/** The locales and audiences a fan-out workload spreads its contacts over. */
export const FAN_OUT = {
  locales: ['en', 'de'],
  /** `all` (the project scope) and `stories` (only Story issues). */
  audiences: [{ name: 'all' }, { name: 'stories', scope: 'issuetype = Story' }],
} as const;

/** Key of one email: release, point and recipient. */
export const emailKey = (versionId: string, pointId: string, recipient: string): string =>
  `${versionId}|${pointId}|${recipient.toLowerCase()}`;

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Fills the Jira stand-in (projects, versions, issues) and the client directory (contacts in UTC,
 * the {@link BENCH_POINT_SPECS} policy) with a workload of releases dated from
 * {@link RELEASE_LEAD_DAYS} days ahead, one day apart per project.
 */
export const seedWorkload = async (
  jira: JiraStandIn,
  directory: DirectoryPort,
  options: SeedWorkloadOptions,
): Promise<BenchWorkload> => {
  const perProject = options.releasesPerProject ?? 5;
  const firstId = options.firstId ?? 70_000;
  const today = Date.parse(`${isoDate((options.now ?? new Date()).getTime())}T00:00:00Z`);
  const all = parsePointSpecs(BENCH_POINT_SPECS);
  const points = all.slice(all.length - Math.min(all.length, Math.max(1, options.points ?? all.length)));
  const policy = {
    points,
    onRelease: false,
    timeZone: 'UTC',
    defaultLocale: 'en',
    ...(options.fanOut ? { audiences: FAN_OUT.audiences.map((a) => ({ ...a })) } : {}),
  };
  const projectCount = Math.ceil(options.releases / perProject);
  const releases: BenchRelease[] = [];
  const expected = new Set<string>();

  for (let p = 0; p < projectCount; p++) {
    const projectId = String(firstId + p * 100);
    const projectKey = `BP${p + 1}`;
    jira.putProject({ id: projectId, key: projectKey, name: `Bench project ${p + 1}` });
    await directory.putPolicy(projectKey, policy);
    const recipients = Array.from(
      { length: options.recipients },
      (_, r) => `c${r + 1}.p${p + 1}.${options.tag}@example.com`,
    );
    for (const [r, email] of recipients.entries()) {
      // Round robin over locale, then audience: with 4+ recipients every combination occurs.
      const audience = FAN_OUT.audiences[Math.floor(r / 2) % 2]?.name;
      await directory.putContact(projectKey, {
        email,
        name: `Client ${r + 1}`,
        locale: options.fanOut ? (FAN_OUT.locales[r % 2] ?? 'en') : 'en',
        timeZone: 'UTC',
        optedOut: false,
        ...(options.fanOut && audience !== 'all' ? { audience } : {}),
      });
    }
    for (let v = 0; v < perProject && releases.length < options.releases; v++) {
      const versionId = String(firstId + p * 100 + v + 1);
      const releaseDate = isoDate(today + (RELEASE_LEAD_DAYS + v) * 86_400_000);
      const name = `${projectKey} ${v + 1}.0`;
      jira.putVersion({ id: versionId, projectId, name, description: `Release ${name}.`, releaseDate });
      jira.setIssues(versionId, generateIssues(projectKey, options.issues ?? 12, { start: v * 1000 + 1 }));
      releases.push({ projectId, projectKey, versionId, name, releaseDate, recipients });
      for (const point of points)
        for (const to of recipients) expected.add(emailKey(versionId, point.id, to));
    }
  }
  const lastReleaseDate =
    releases
      .map((r) => r.releaseDate)
      .sort()
      .at(-1) ?? isoDate(today);
  return { releases, points, expected, lastReleaseDate };
};

/** Clock offset, ms, that puts the scheduler a day past the workload's last release date. */
export const offsetPastLastRelease = (workload: BenchWorkload, now = Date.now()): number =>
  Date.parse(`${workload.lastReleaseDate}T00:00:00Z`) + 86_400_000 - now;

/** The body Jira Cloud POSTs for `jira:version_created` of a release. */
export const versionCreatedBody = (release: BenchRelease, timestamp: number): string =>
  JSON.stringify({
    timestamp,
    webhookEvent: 'jira:version_created',
    version: {
      self: `https://example.atlassian.net/rest/api/3/version/${release.versionId}`,
      id: release.versionId,
      name: release.name,
      archived: false,
      released: false,
      releaseDate: release.releaseDate,
      projectId: Number(release.projectId),
    },
  });

/**
 * POSTs a signed webhook like Jira does: again after a pause while nothing answers or the answer
 * is not 2xx (a worker being restarted), up to `attempts` times. Resolves with the attempts made.
 */
export const deliverWebhook = async (
  url: () => string,
  secret: string,
  body: string,
  { attempts = 60, pauseMs = 500 }: { attempts?: number; pauseMs?: number } = {},
): Promise<number> => {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const status = await postSignedWebhook(url(), secret, body);
      if (status >= 200 && status < 300) return attempt;
      last = new Error(`webhook answered ${status}`);
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error(`webhook not accepted after ${attempts} attempts`, { cause: last });
};
