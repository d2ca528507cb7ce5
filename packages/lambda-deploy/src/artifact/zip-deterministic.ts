import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { constants, crc32, createDeflateRaw } from 'node:zlib';
import { DeployError } from '../errors';
import type { FileEntry } from './collect-files';
import { centralHeader, dataDescriptor, endOfCentralDirectory, localHeader, METHOD_DEFLATE, ZIP32_MAX_BYTES, ZIP32_MAX_ENTRIES, type EntryRecord } from './zip-format';

export interface ZipManifest {
  /** Hex sha256 of the zip bytes: the content hash recorded in a layer version's Description. */
  sha256: string;
  /** Base64 sha256: what Lambda reports as a function's CodeSha256. */
  sha256Base64: string;
  size: number;
  unzippedSize: number;
  files: number;
}

/**
 * Writes a byte-for-byte reproducible ZIP: entries in the given (sorted) order, fixed timestamps,
 * modes 0644/0755, no extra fields, deflate level 6. Files are streamed one at a time and the
 * output is hashed as it is written, so memory stays flat whatever the layer size.
 *
 * Our own writer rather than archiver: archiver adds per-entry extended-timestamp data unless
 * configured around, and a writer we own lets packaging run file reads and deflate as we choose.
 */
export async function writeDeterministicZip(entries: FileEntry[], outFile: string, opts: { prefix?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<ZipManifest> {
  if (entries.length > ZIP32_MAX_ENTRIES) {
    throw new DeployError('ZIP_TOO_MANY_FILES', `${outFile}: ${entries.length} files, more than a ZIP without zip64 holds (${ZIP32_MAX_ENTRIES})`, 'exclude files (tests, docs, caches) with "excludes"');
  }
  mkdirSync(dirname(outFile), { recursive: true });
  const out = new HashingWriter(createWriteStream(outFile));
  const records: EntryRecord[] = [];
  const total = entries.reduce((sum, entry) => sum + entry.size, 0);
  let done = 0;
  try {
    for (const entry of entries) {
      const name = Buffer.from(`${opts.prefix ?? ''}${entry.path}`, 'utf8');
      const record: EntryRecord = { name, method: METHOD_DEFLATE, crc: 0, compressedSize: 0, size: 0, mode: entry.mode, offset: out.bytes };
      await out.write(localHeader(name, METHOD_DEFLATE));
      await deflateInto(entry.absPath, record, out);
      await out.write(dataDescriptor(record));
      records.push(record);
      done += entry.size;
      opts.onProgress?.(done, total);
    }
    const centralStart = out.bytes;
    for (const record of records) await out.write(centralHeader(record));
    const centralSize = out.bytes - centralStart;
    await out.write(endOfCentralDirectory(records.length, centralSize, centralStart));
    if (out.bytes > ZIP32_MAX_BYTES) throw new DeployError('ZIP_TOO_LARGE', `${outFile}: over 4 GiB`, 'Lambda refuses artifacts this large: trim the content');
  } finally {
    await out.close();
  }
  const digest = out.digest();
  return { sha256: digest.toString('hex'), sha256Base64: digest.toString('base64'), size: out.bytes, unzippedSize: total, files: entries.length };
}

async function deflateInto(file: string, record: EntryRecord, out: HashingWriter): Promise<void> {
  const deflate = createDeflateRaw({ level: 6, memLevel: 8, strategy: constants.Z_DEFAULT_STRATEGY });
  const written = (async () => {
    for await (const chunk of deflate) {
      record.compressedSize += chunk.length;
      await out.write(chunk);
    }
  })();
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    record.crc = crc32(chunk, record.crc);
    record.size += chunk.length;
    if (!deflate.write(chunk)) await once(deflate, 'drain');
  }
  deflate.end();
  await written;
}

/** A write stream that hashes and counts what passes through it, honouring backpressure. */
class HashingWriter {
  private readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly stream: WriteStream) {}

  async write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    // `once` rejects on the stream's 'error' (disk full...), so a failed write never hangs.
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  digest(): Buffer {
    return this.hash.digest();
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}
