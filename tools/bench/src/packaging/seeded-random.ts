import { mulberry32 } from '../../../../packages/local-aws/src/seeded-random';

/**
 * Fixture randomness from a seed rather than Math.random, so every run (and every machine) benchmarks
 * the same bytes; the generator is the one the fault proxy uses.
 */
export class SeededRandom {
  readonly uint32: () => number;

  constructor(seed: number) {
    this.uint32 = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Favours the first items, as a few names dominate real source text: keeps its deflate ratio realistic. */
  pickSkewed<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() ** 3 * items.length)];
  }

  /** Log-uniform between min and max: many small values, a few large, as file sizes are. */
  logUniform(min: number, max: number): number {
    return Math.round(Math.exp(Math.log(min) + this.float() * (Math.log(max) - Math.log(min))));
  }

  bytes(length: number): Buffer {
    const words = new Uint32Array(Math.ceil(length / 4));
    for (let i = 0; i < words.length; i++) words[i] = this.uint32();
    return Buffer.from(words.buffer, 0, length);
  }
}
