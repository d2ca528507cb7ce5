/**
 * A layer version's unzipped size, which Lambda does not report (GetLayerVersion gives the zipped
 * CodeSize): read from the zip's central directory through the presigned `Content.Location` URL with
 * two HTTP range requests (the end record, then the directory: tens of KB for thousands of files),
 * never the whole zip. undefined when that cannot be done (not an http(s) URL, no range support,
 * zip64, an unexpected answer): callers then count the zipped size, a lower bound.
 */
export async function unzippedSizeAt(url: string | undefined, zipSize: number, fetchImpl: typeof fetch = fetch): Promise<number | undefined> {
  return (await zipDirectoryAt(url, zipSize, fetchImpl))?.unzippedSize;
}

/** unzippedSizeAt, with the entries' names too (what a layer ships, for the layer stack check), from the same two requests. */
export async function zipDirectoryAt(url: string | undefined, zipSize: number, fetchImpl: typeof fetch = fetch): Promise<{ unzippedSize: number; names: string[] } | undefined> {
  if (!url || !/^https?:\/\//.test(url) || zipSize < END_RECORD) return undefined;
  try {
    const tailStart = Math.max(0, zipSize - END_RECORD - MAX_COMMENT);
    const tail = await readRange(fetchImpl, url, tailStart, zipSize - 1, zipSize);
    const end = findEndRecord(tail);
    if (!end) return undefined;
    const directory = await readRange(fetchImpl, url, end.offset, end.offset + end.size - 1, zipSize);
    const unzippedSize = sumUncompressed(directory, end.entries);
    return unzippedSize === undefined ? undefined : { unzippedSize, names: entryNames(directory, end.entries) };
  } catch {
    return undefined;
  }
}

/** The entries' file names, in directory order (sumUncompressed has checked the directory's shape). */
function entryNames(directory: Buffer, entries: number): string[] {
  const names: string[] = [];
  let at = 0;
  for (let i = 0; i < entries; i++) {
    const nameLength = directory.readUInt16LE(at + 28);
    names.push(directory.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
  }
  return names;
}

const END_RECORD = 22;
const MAX_COMMENT = 0xffff;
const END_SIGNATURE = 0x06054b50;
const ENTRY_SIGNATURE = 0x02014b50;
const ZIP64_MARK = 0xffffffff;

/** Bytes first..last of the object; a server that ignores Range and sends it all (200) is cut to the range. */
async function readRange(fetchImpl: typeof fetch, url: string, first: number, last: number, total: number): Promise<Buffer> {
  const answer = await fetchImpl(url, { headers: { Range: `bytes=${first}-${last}` }, signal: AbortSignal.timeout(60_000) });
  if (answer.status !== 206 && answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
  const body = Buffer.from(await answer.arrayBuffer());
  if (answer.status === 206) return body;
  if (body.length !== total) throw new Error('unexpected length');
  return body.subarray(first, last + 1);
}

/** The end-of-central-directory record, searched backwards (a comment may follow it). */
export function findEndRecord(tail: Buffer): { entries: number; size: number; offset: number } | undefined {
  for (let at = tail.length - END_RECORD; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== END_SIGNATURE) continue;
    const entries = tail.readUInt16LE(at + 10);
    const size = tail.readUInt32LE(at + 12);
    const offset = tail.readUInt32LE(at + 16);
    if (entries === 0xffff || size === ZIP64_MARK || offset === ZIP64_MARK) return undefined;
    return { entries, size, offset };
  }
  return undefined;
}

/** The uncompressed sizes of the directory's entries, added up; undefined when an entry is zip64 or the directory is not what the end record said. */
export function sumUncompressed(directory: Buffer, entries: number): number | undefined {
  let total = 0;
  let at = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== ENTRY_SIGNATURE) return undefined;
    const size = directory.readUInt32LE(at + 24);
    if (size === ZIP64_MARK) return undefined;
    total += size;
    at += 46 + directory.readUInt16LE(at + 28) + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
  }
  return total;
}
