/**
 * Reusable output space for transforms, so a chain run on every buffer does
 * not allocate: each scratch grows to the largest output seen, up to a cap.
 */

/** Largest buffer a transform chain will produce; bigger outputs fail the chain (and are counted). */
export const MAX_TRANSFORM_BYTES = 16 * 1024 * 1024;

export class Scratch {
  buf = new Uint8Array(256);

  /**
   * A buffer of at least `n` bytes (old contents undefined), or undefined when
   * `n` is over the cap.
   * @example new Scratch().take(10)?.length // 256
   */
  take(n: number): Uint8Array | undefined {
    if (n > MAX_TRANSFORM_BYTES) return undefined;
    if (this.buf.length < n)
      this.buf = new Uint8Array(Math.min(MAX_TRANSFORM_BYTES, Math.max(n, this.buf.length * 2)));
    return this.buf;
  }
}

/**
 * One compiled transform step: reads `input`, writes into `out` and returns a
 * view of the result (or `input` itself when it leaves the buffer as it is),
 * or undefined when the transform fails and the buffer must not be inspected.
 */
export type TransformStep = (input: Uint8Array, out: Scratch) => Uint8Array | undefined;
