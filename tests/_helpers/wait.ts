/**
 * Waiting on a condition with a deadline (never a fixed sleep).
 * @module
 */

/** Options for {@linkcode waitFor}. */
export interface WaitOptions {
  /** Give up after this many ms (default 10 000). */
  timeout?: number;
  /** Re-check interval in ms (default 20). */
  interval?: number;
  /** What we were waiting for, for the failure message. */
  what?: string;
}

/**
 * Polls `cond` until it returns a truthy value, then returns that value.
 * @param cond the condition (may be async; a thrown error counts as "not yet")
 * @param options deadline, interval, description
 * @returns the first truthy value
 * @throws Error when the deadline passes (with the last error as cause)
 */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<NonNullable<T>> {
  const timeout = options.timeout ?? 10_000;
  const interval = options.interval ?? 20;
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (let i = 0; i < 1_000_000; i++) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${options.what ?? "condition"}`, {
    cause: last,
  });
}
