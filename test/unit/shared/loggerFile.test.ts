import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config';
import { createLogger } from '#shared/logger';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-log-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Function: createLogger (file)', () => {
  it('appends its JSON lines to the file, creating its folder, with the email masking of stdout', async () => {
    // Arrange
    const file = join(dir, 'logs', 'herald.log');
    const logger = createLogger({ level: 'warn', file });

    // Act
    logger.info('not_at_this_level');
    logger.warn({ err: new Error('refused for ada@example.com') }, 'record_failed');
    logger.flush();

    // Assert
    const lines = (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; err: { message: string } });
    expect(lines.map((l) => l.msg)).toEqual(['record_failed']);
    expect(lines[0]?.err.message).toBe('refused for a***@e***.com');
  });

  it('takes the file from LOG_FILE, unset (stdout) when absent or empty', () => {
    expect(loadConfig({ LOG_FILE: '/tmp/herald.log' }).LOG_FILE).toBe('/tmp/herald.log');
    expect(loadConfig({}).LOG_FILE).toBeUndefined();
    expect(loadConfig({ LOG_FILE: '' }).LOG_FILE).toBeUndefined();
  });
});
