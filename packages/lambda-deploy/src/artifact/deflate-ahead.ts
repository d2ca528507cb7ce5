import type { FileEntry } from './collect-files';
import { CHUNK_BYTES, chunkCount, deflateChunk, type DeflatedChunk } from './deflate-chunk';

export interface PackLimits {
  /** Chunks read and deflated at once; zlib and fs share libuv's threadpool (4 threads by default). */
  concurrency: number;
  /** Cap on the bytes of chunks read ahead of the writer and not yet written. */
  maxBytesAhead: number;
}

/**
 * Reads and deflates the chunks of every file, file after file, several at once ahead of the
 * writer, and hands them over strictly in that order, so the zip's bytes never depend on which job
 * finished first. Bytes ahead are capped, and a finished job at once starts the next one.
 */
export class DeflateAhead {
  /** Started and not yet taken, in order. */
  private readonly queue: Array<Promise<DeflatedChunk>> = [];
  private nextEntry = 0;
  private nextChunk = 0;
  private running = 0;
  private bytesAhead = 0;
  private stopped = false;

  constructor(
    private readonly entries: FileEntry[],
    private readonly limits: PackLimits,
  ) {
    this.fill();
  }

  /** The next chunk in order; `release` it once written. */
  take(): Promise<DeflatedChunk> {
    const job = this.queue.shift();
    // Unreachable while the writer releases each chunk before taking the next: nothing is then ahead to block a start.
    if (!job) throw new Error('DeflateAhead: chunk taken before it was started');
    return job;
  }

  release(chunk: DeflatedChunk): void {
    this.bytesAhead -= chunk.input.length;
    this.fill();
  }

  /** Starts no more jobs: the writer failed and will not take them. */
  stop(): void {
    this.stopped = true;
  }

  private fill(): void {
    while (!this.stopped && this.nextEntry < this.entries.length && this.running < this.limits.concurrency) {
      const { absPath, size } = this.entries[this.nextEntry];
      const bytes = Math.min(CHUNK_BYTES, size - this.nextChunk * CHUNK_BYTES);
      // Nothing ahead means the writer waits on this chunk: admit it even if it alone exceeds the cap.
      if (this.bytesAhead > 0 && this.bytesAhead + bytes > this.limits.maxBytesAhead) return;
      this.running++;
      this.bytesAhead += bytes;
      const job = deflateChunk(absPath, size, this.nextChunk).finally(() => {
        this.running--;
        this.fill();
      });
      // Marked handled: if the writer fails first, a job nobody takes must not crash the process.
      job.catch(() => undefined);
      this.queue.push(job);
      if (++this.nextChunk === chunkCount(size)) {
        this.nextEntry++;
        this.nextChunk = 0;
      }
    }
  }
}
