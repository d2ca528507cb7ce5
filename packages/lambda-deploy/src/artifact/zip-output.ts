import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

// Thousands of small entries would otherwise cost a threadpool round trip each.
const FLUSH_AT_BYTES = 1 << 20;

/** A point in the output to return to: its length and the hash state of everything before it. */
export interface OutputMark {
  bytes: number;
  hash: Hash;
}

/**
 * The zip file being written: hashes and counts what passes through, batches small writes, and can
 * take back everything after a mark, so a large file whose deflated form turned out no smaller than
 * the file is rewritten stored without ever holding it whole in memory.
 */
export class ZipOutput {
  private hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** File position where `pending` starts: everything before it is on disk. */
  private flushedBytes = 0;
  bytes = 0;

  private constructor(private readonly file: FileHandle) {}

  static async create(path: string): Promise<ZipOutput> {
    return new ZipOutput(await open(path, 'w'));
  }

  async write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= FLUSH_AT_BYTES) await this.flush();
  }

  mark(): OutputMark {
    return { bytes: this.bytes, hash: this.hash.copy() };
  }

  /** Forgets everything written after `mark`; later writes overwrite it on disk, `close` trims the rest. */
  rollback(mark: OutputMark): void {
    if (mark.bytes >= this.flushedBytes) {
      const keep = Buffer.concat(this.pending).subarray(0, mark.bytes - this.flushedBytes);
      this.pending = [keep];
      this.pendingBytes = keep.length;
    } else {
      this.pending = [];
      this.pendingBytes = 0;
      this.flushedBytes = mark.bytes;
    }
    this.bytes = mark.bytes;
    this.hash = mark.hash;
  }

  digest(): Buffer {
    return this.hash.digest();
  }

  /** Writes what is pending and trims the file to what was written (a rollback may have left a tail). */
  async finish(): Promise<void> {
    await this.flush();
    await this.file.truncate(this.bytes);
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private async flush(): Promise<void> {
    let data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    while (data.length > 0) {
      const { bytesWritten } = await this.file.write(data, 0, data.length, this.flushedBytes);
      this.flushedBytes += bytesWritten;
      data = data.subarray(bytesWritten);
    }
  }
}
