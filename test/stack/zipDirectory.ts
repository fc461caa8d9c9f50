import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/** Every file under `dir`, depth first, as paths relative to `dir` with `/` separators, sorted. */
const filesUnder = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
};

// A fixed timestamp (1980-01-01 00:00, DOS format) makes the archive a function of the files.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** What the local header and the central directory both record of a file. */
interface EntryFields {
  crc: number;
  /** Bytes. */
  compressedSize: number;
  /** Bytes. */
  size: number;
  /** Bytes of the UTF-8 path. */
  nameLength: number;
}

/**
 * Writes the 24 bytes a local header (at 4) and a central directory record (at 6) share, from
 * "version needed" to the name's length.
 */
const writeEntryFields = (header: Buffer, at: number, entry: EntryFields): void => {
  header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  header.writeUInt16LE(0x0800, at + 2); // UTF-8 names
  header.writeUInt16LE(8, at + 4); // deflate
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(entry.crc, at + 10);
  header.writeUInt32LE(entry.compressedSize, at + 14);
  header.writeUInt32LE(entry.size, at + 18);
  header.writeUInt16LE(entry.nameLength, at + 22);
};

/**
 * Zips a directory the way `cdk deploy` packages a `zip` file asset (deflated files, paths
 * relative to the directory), in memory. Small on purpose: the bundles are a few files of ~1 MB.
 * No zip64: each file and the archive must stay under 4 GiB.
 */
export const zipDirectory = async (dir: string): Promise<Buffer> => {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const path of await filesUnder(dir)) {
    const data = await readFile(join(dir, path));
    const compressed = deflateRawSync(data);
    const name = Buffer.from(path, 'utf8');
    const crc = crc32(data);
    const entry = { crc, compressedSize: compressed.length, size: data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, entry);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, 2.0
    writeEntryFields(central, 6, entry);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
};
