import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '#local/consoleLine';
import { tailLog } from '#local/LogTail';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-tail-'));
  file = join(dir, 'herald.log');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Function: tailLog', () => {
  it('hands on each line appended after it started, once, and waits for a line still being written', async () => {
    // Arrange
    await writeFile(file, '{"msg":"before"}\n');
    const entries: LogEntry[] = [];
    const tail = await tailLog({ file, intervalMs: 60_000, onEntry: (e) => entries.push(e) });

    // Act
    await appendFile(file, '{"msg":"one"}\nnot json\n{"msg":"tw');
    await tail.poll();
    const afterFirst = entries.map((e) => e.msg);
    await appendFile(file, 'o"}\n');
    await tail.poll();
    await tail.poll();
    await tail.stop();

    // Assert
    expect(afterFirst).toEqual(['one']);
    expect(entries.map((e) => e.msg)).toEqual(['one', 'two']);
  });

  it('waits for a file that does not exist yet, and starts again when it is replaced by a shorter one', async () => {
    // Arrange
    const entries: LogEntry[] = [];
    const tail = await tailLog({ file, intervalMs: 60_000, onEntry: (e) => entries.push(e) });

    // Act
    await tail.poll();
    await writeFile(file, '{"msg":"first run, a long line"}\n');
    await tail.poll();
    await writeFile(file, '{"msg":"new"}\n');
    await tail.poll();
    await tail.stop();

    // Assert
    expect(entries.map((e) => e.msg)).toEqual(['first run, a long line', 'new']);
  });
});
