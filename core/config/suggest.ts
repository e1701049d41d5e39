/**
 * Did-you-mean for misspelled configuration keys: a small edit distance
 * over the directive names a file knows.
 *
 * @module
 */

/**
 * Optimal string alignment distance (Levenshtein plus adjacent swaps).
 * @param a first word
 * @param b second word
 * @param bound stop early once the distance is known to exceed this
 * @returns the number of edits (or more than `bound` when it gives up)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { editDistance } from "./suggest.ts";
 * assert.equal(editDistance("criver", "driver"), 1);
 * assert.equal(editDistance("MONTIOR", "MONITOR"), 1);
 * ```
 */
export function editDistance(a: string, b: string, bound = Infinity): number {
  const cols = b.length + 1;
  let prev2 = new Int32Array(cols);
  let prev = new Int32Array(cols);
  let cur = new Int32Array(cols);
  for (let j = 0; j < cols; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j < cols; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // rows never get cheaper than the row before, less one transposition: give up early
    if (rowMin > bound + 1) return bound + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[cols - 1]!;
}

/**
 * The known name closest to a misspelled one, if it is close enough
 * (at most a third of the letters wrong, case ignored; words of three letters
 * or fewer must match but for case), or when one is a
 * prefix of the other (`description` → `desc`).
 * @param word the unknown key
 * @param known the names the file accepts
 * @returns the suggestion, or undefined
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { didYouMean } from "./suggest.ts";
 * assert.equal(didYouMean("criver", ["driver", "port"]), "driver");
 * assert.equal(didYouMean("zzz", ["driver", "port"]), undefined);
 * ```
 */
export function didYouMean(word: string, known: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  if (w.length > 64) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const shortest = Math.min(w.length, k.length);
    // both three letters or fewer: only a case difference counts ("all" is not "ACL")
    const limit = Math.max(w.length, k.length) <= 3 ? 0 : Math.max(1, Math.floor(shortest / 3));
    const prefix = shortest >= 4 &&
      (w.length >= k.length ? startsFolded(w, k) : startsFolded(k, w));
    // the distance is at least the difference in length: skip the table when that is too far
    if (Math.abs(w.length - k.length) > limit && !prefix) continue;
    const kl = k.toLowerCase();
    if (kl === w) return k;
    let dist = prefix ? limit + 0.5 : Infinity;
    if (Math.abs(w.length - k.length) <= limit) {
      const d = editDistance(w, kl, limit);
      if (d <= limit) dist = d;
    }
    if (dist < bestD) {
      bestD = dist;
      best = k;
    }
  }
  return best;
}

/** Whether `long` starts with `short`, ASCII case folded. */
function startsFolded(long: string, short: string): boolean {
  for (let i = 0; i < short.length; i++) {
    let a = long.charCodeAt(i);
    let b = short.charCodeAt(i);
    if (a >= 0x41 && a <= 0x5a) a += 0x20;
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (a !== b) return false;
  }
  return true;
}

/**
 * A did-you-mean hint for an unknown word.
 * @param word the unknown key
 * @param known the names the file accepts
 * @returns `did you mean "x"?`, or undefined when nothing is close
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hintFor } from "./suggest.ts";
 * assert.equal(hintFor("LISTN", ["LISTEN"]), 'did you mean "LISTEN"?');
 * ```
 */
export function hintFor(word: string, known: Iterable<string>): string | undefined {
  const s = didYouMean(word, known);
  return s === undefined || s === word ? undefined : `did you mean "${s}"?`;
}

/**
 * A did-you-mean hint computed only when someone reads it (parsers run on
 * every daemon start and every upssched event; suggestions are for humans).
 * @param word the unknown key
 * @param known the names the file accepts
 * @returns a function giving the hint of {@linkcode hintFor}
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lazyHint } from "./suggest.ts";
 * assert.equal(lazyHint("criver", ["driver"])(), 'did you mean "driver"?');
 * ```
 */
export function lazyHint(word: string, known: Iterable<string>): () => string | undefined {
  return () => hintFor(word, known);
}
