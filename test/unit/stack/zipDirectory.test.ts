import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { localFunctionUrl } from '#test/stack/knownDifferences';
import { zipDirectory } from '#test/stack/zipDirectory';

/** Reads a zip's entries through its central directory (deflate only, as zipDirectory writes). */
const readZip = (zip: Buffer): Map<string, Buffer> => {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = zip.readUInt32LE(at + 42);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(dataStart, dataStart + compressedSize));
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(zip.readUInt32LE(at + 16));
    files.set(name, data);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
};

let dir: string | undefined;

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Function: zipDirectory', () => {
  it('packs every file under the directory with its relative path and content', async () => {
    // arrange
    dir = await mkdtemp(join(tmpdir(), 'zip-test-'));
    await mkdir(join(dir, 'lib'));
    await writeFile(join(dir, 'index.mjs'), 'export const handler = async () => 1;\n');
    await writeFile(join(dir, 'lib', 'data.json'), JSON.stringify({ n: 'x'.repeat(5000) }));
    await writeFile(join(dir, 'empty.txt'), '');

    // act
    const files = readZip(await zipDirectory(dir));

    // assert
    expect([...files.keys()]).toEqual(['empty.txt', 'index.mjs', 'lib/data.json']);
    expect(files.get('index.mjs')?.toString()).toBe('export const handler = async () => 1;\n');
    expect(files.get('lib/data.json')?.toString()).toBe(JSON.stringify({ n: 'x'.repeat(5000) }));
    expect(files.get('empty.txt')?.length).toBe(0);
  });

  it('gives the same bytes for the same files', async () => {
    // arrange
    dir = await mkdtemp(join(tmpdir(), 'zip-test-'));
    await writeFile(join(dir, 'a.txt'), 'a');

    // act
    const [first, second] = [await zipDirectory(dir), await zipDirectory(dir)];

    // assert
    expect(first.equals(second)).toBe(true);
  });
});

describe('Function: localFunctionUrl', () => {
  it('maps a function URL of the stack outputs to the path ministack serves, keeping path and query', () => {
    // act
    const url = localFunctionUrl(
      'http://127.0.0.1:4566',
      'https://abc123def.lambda-url.us-east-1.on.aws/unsubscribe?p=ACME&t=x',
    );

    // assert
    expect(url).toBe('http://127.0.0.1:4566/_aws/lambda-url/abc123def/unsubscribe?p=ACME&t=x');
  });
});
