/**
 * Byte layouts of the ZIP records we write (APPNOTE 6.3). Every field that could carry host
 * information is a constant: DOS time 1980-01-01 00:00, "made by" Unix, no extra fields.
 */
export const FIXED_DOS_TIME = 0;
export const FIXED_DOS_DATE = (0 << 9) | (1 << 5) | 1;
const VERSION_NEEDED = 20;
const MADE_BY_UNIX = (3 << 8) | 20;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8_NAMES = 0x0800;
export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;
const S_IFREG = 0o100000;

export interface EntryRecord {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  mode: number;
  offset: number;
}

/**
 * A deflated entry's CRC and sizes follow its data in a descriptor (bit 3): a file over one deflate
 * chunk is written as its chunks come, before they are known, and smaller ones share the layout.
 * A stored entry carries them in its local header instead: stored data has no end marker, so a
 * streaming reader (Java's ZipInputStream, for one) cannot find where it stops without them.
 */
function flags(method: number): number {
  return method === METHOD_DEFLATE ? FLAG_UTF8_NAMES | FLAG_DATA_DESCRIPTOR : FLAG_UTF8_NAMES;
}

export function localHeader(entry: EntryRecord): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(flags(entry.method), 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(FIXED_DOS_TIME, 10);
  header.writeUInt16LE(FIXED_DOS_DATE, 12);
  if (entry.method === METHOD_STORE) {
    header.writeUInt32LE(entry.crc, 14);
    header.writeUInt32LE(entry.compressedSize, 18);
    header.writeUInt32LE(entry.size, 22);
  }
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, entry.name]);
}

export function dataDescriptor(entry: EntryRecord): Buffer {
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(entry.crc, 4);
  descriptor.writeUInt32LE(entry.compressedSize, 8);
  descriptor.writeUInt32LE(entry.size, 12);
  return descriptor;
}

export function centralHeader(entry: EntryRecord): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY_UNIX, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(flags(entry.method), 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(FIXED_DOS_TIME, 12);
  header.writeUInt16LE(FIXED_DOS_DATE, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.compressedSize, 20);
  header.writeUInt32LE(entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt32LE(((S_IFREG | entry.mode) << 16) >>> 0, 38);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, entry.name]);
}

export function endOfCentralDirectory(entries: number, size: number, offset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return end;
}

/** Without zip64 a ZIP holds at most 65535 entries and 4 GiB; Lambda's own limits are far below. */
export const ZIP32_MAX_ENTRIES = 0xffff;
export const ZIP32_MAX_BYTES = 0xffffffff;
