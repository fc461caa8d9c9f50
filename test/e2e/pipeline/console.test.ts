import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLine } from '#local/consoleLine';
import { type LogTail, tailLog } from '#local/LogTail';
import { daysFromToday, type Pipeline, startPipeline } from './support.ts';

const PROJECT = { id: '10950', key: 'LOUD', name: 'Loud Logs' };
const version = { id: '20951', projectId: PROJECT.id, name: 'Plain Talk', releaseDate: daysFromToday(20) };

let dir: string;
let logFile: string;
let p: Pipeline;
let tail: LogTail;
/** What `npm start` prints for the handlers' log lines: stage and line. */
const printed: { stage: string; line: string }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-console-'));
  logFile = join(dir, 'herald.log');
  // What `npm start` does: the handlers log to a file, the console follows it.
  p = await startPipeline({ label: 'console', logLevel: 'warn', logFile });
  tail = await tailLog({
    file: logFile,
    intervalMs: 100,
    onEntry: (entry) => {
      const line = consoleLine(entry);
      if (line) printed.push(line);
    },
  });
  p.jira.putProject(PROJECT);
  p.jira.putVersion(version);
});

afterAll(async () => {
  await tail?.stop();
  await p?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('npm start console: one line per failed record', () => {
  it('names the stage, the key, the reason and the retry for a record that will be tried again', async () => {
    // Arrange: Jira answers 503 to enrich's reads until the in-call retries give up once.
    p.jira.faults.enqueue({ status: 503 }, { route: 'getVersion', times: 8 });

    // Act
    expect(await p.postVersionEvent('jira:version_created', version)).toBe(202);
    await p.waitForIdle({ timeoutMs: 60_000 });
    await tail.poll();

    // Assert
    const enrich = printed.filter((l) => l.stage === 'enrich');
    expect(enrich.length).toBeGreaterThan(0);
    expect(enrich[0]?.line).toMatch(
      new RegExp(
        `^✗ ${version.id}:jira:version_created:\\d+: \\S*Error: .*503.* → retry in \\d+s \\(receive 1\\)$`,
      ),
    );
  });

  it('says a dead-lettered record waits for a person and names the redrive command, the full error only in the file', async () => {
    // Act: a body that is no EventBridge event at all.
    await p.sendToQueue('ingest', JSON.stringify({ hello: 'not an event' }));
    await p.waitForIdle();
    await tail.poll();

    // Assert
    const ingest = printed.filter((l) => l.stage === 'ingest');
    expect(ingest).toHaveLength(1);
    expect(ingest[0]?.line).toMatch(
      /^✗ \S+: contract:.* → dead-lettered: fix and `herald dlq redrive ingest`$/,
    );
    expect(ingest[0]?.line.length).toBeLessThan(300);
    const logged = (await readFile(logFile, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg?: string; stage?: string; err?: { stack?: string } });
    const dead = logged.find((l) => l.msg === 'record_dead_lettered' && l.stage === 'ingest');
    expect(dead?.err?.stack).toMatch(/ContractError/);
  });
});
