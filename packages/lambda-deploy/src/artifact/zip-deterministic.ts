import { createReadStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { DeployError } from '../errors';
import type { FileEntry } from './collect-files';
import { DeflateAhead, type PackLimits } from './deflate-ahead';
import { CHUNK_BYTES, chunkCount } from './deflate-chunk';
import { centralHeader, dataDescriptor, endOfCentralDirectory, localHeader, METHOD_DEFLATE, METHOD_STORE, ZIP32_MAX_BYTES, ZIP32_MAX_ENTRIES, type EntryRecord } from './zip-format';
import { ZipOutput } from './zip-output';

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
 * Measured on a 150 MB / 4,500-file Python layer (tools/bench, packaging; 2 CPUs): four jobs match
 * the threadpool's four threads, and 32 MiB ahead keeps them fed while the writer catches up.
 */
const DEFAULT_PACK_LIMITS: PackLimits = { concurrency: 4, maxBytesAhead: 32 << 20 };

/**
 * Writes a byte-for-byte reproducible ZIP: entries in the given (sorted) order, fixed timestamps,
 * modes 0644/0755, no extra fields, deflate level 6, and an entry stored instead when deflate does
 * not shrink it. Files are deflated in chunks, several at once ahead of the writer, but written in
 * order, and the output is hashed as it is written; memory stays bounded by `limits` whatever the
 * layer size. `limits` tunes speed and memory only: the bytes written are the same for any value.
 *
 * Our own writer rather than archiver: archiver deflates one file at a time, on one core, and
 * orders entries by when their stat returns unless told otherwise (see tools/bench, packaging).
 */
export async function writeDeterministicZip(
  entries: FileEntry[],
  outFile: string,
  opts: { prefix?: string; onProgress?: (done: number, total: number) => void; limits?: PackLimits } = {},
): Promise<ZipManifest> {
  if (entries.length > ZIP32_MAX_ENTRIES) {
    throw new DeployError('ZIP_TOO_MANY_FILES', `${outFile}: ${entries.length} files, more than a ZIP without zip64 holds (${ZIP32_MAX_ENTRIES})`, 'exclude files (tests, docs, caches) with "excludes"');
  }
  mkdirSync(dirname(outFile), { recursive: true });
  const out = await ZipOutput.create(outFile);
  const ahead = new DeflateAhead(entries, opts.limits ?? DEFAULT_PACK_LIMITS);
  const records: EntryRecord[] = [];
  const total = entries.reduce((sum, entry) => sum + entry.size, 0);
  let done = 0;
  try {
    for (const entry of entries) {
      const record: EntryRecord = { name: Buffer.from(`${opts.prefix ?? ''}${entry.path}`, 'utf8'), method: METHOD_DEFLATE, crc: 0, compressedSize: 0, size: 0, mode: entry.mode, offset: out.bytes };
      if (chunkCount(entry.size) === 1) await writeOneChunk(ahead, record, out);
      else await writeChunks(ahead, entry, record, out);
      records.push(record);
      done += entry.size;
      opts.onProgress?.(done, total);
    }
    const centralStart = out.bytes;
    for (const record of records) await out.write(centralHeader(record));
    const centralSize = out.bytes - centralStart;
    await out.write(endOfCentralDirectory(records.length, centralSize, centralStart));
    await out.finish();
    if (out.bytes > ZIP32_MAX_BYTES) throw new DeployError('ZIP_TOO_LARGE', `${outFile}: over 4 GiB`, 'Lambda refuses artifacts this large: trim the content');
  } finally {
    ahead.stop();
    await out.close();
  }
  const digest = out.digest();
  return { sha256: digest.toString('hex'), sha256Base64: digest.toString('base64'), size: out.bytes, unzippedSize: total, files: entries.length };
}

/** Most files: deflated before the header is written, so a file deflate cannot shrink goes in stored. */
async function writeOneChunk(ahead: DeflateAhead, record: EntryRecord, out: ZipOutput): Promise<void> {
  const chunk = await ahead.take();
  const stored = chunk.deflated.length >= chunk.input.length;
  const data = stored ? chunk.input : chunk.deflated;
  Object.assign(record, { method: stored ? METHOD_STORE : METHOD_DEFLATE, crc: crc32(chunk.input), size: chunk.input.length, compressedSize: data.length });
  await out.write(localHeader(record));
  await out.write(data);
  if (!stored) await out.write(dataDescriptor(record));
  ahead.release(chunk);
}

/**
 * A file over one chunk is written as its chunks come, never held whole. If it ends up no smaller
 * than the file, it is taken back and the file re-read stored: the same bytes a whole read gives.
 */
async function writeChunks(ahead: DeflateAhead, entry: FileEntry, record: EntryRecord, out: ZipOutput): Promise<void> {
  const start = out.mark();
  await out.write(localHeader(record));
  for (let i = 0; i < chunkCount(entry.size); i++) {
    const chunk = await ahead.take();
    record.crc = crc32(chunk.input, record.crc);
    record.size += chunk.input.length;
    record.compressedSize += chunk.deflated.length;
    await out.write(chunk.deflated);
    ahead.release(chunk);
  }
  if (record.compressedSize < record.size) {
    await out.write(dataDescriptor(record));
    return;
  }
  out.rollback(start);
  Object.assign(record, { method: METHOD_STORE, compressedSize: record.size });
  await out.write(localHeader(record));
  let crc = 0;
  for await (const data of createReadStream(entry.absPath, { highWaterMark: CHUNK_BYTES, end: entry.size - 1 })) {
    crc = crc32(data as Buffer, crc);
    await out.write(data as Buffer);
  }
  if (crc !== record.crc) throw new DeployError('FILE_CHANGED', `${entry.absPath} changed while it was being zipped`, 'run again once nothing writes to the artifact folder');
}
