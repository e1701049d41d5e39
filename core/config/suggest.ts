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
 * @returns the number of edits
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { editDistance } from "./suggest.ts";
 * assert.equal(editDistance("criver", "driver"), 1);
 * assert.equal(editDistance("MONTIOR", "MONITOR"), 1);
 * ```
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
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
    const kl = k.toLowerCase();
    if (kl === w) return k;
    let dist = editDistance(w, kl);
    const shortest = Math.min(w.length, kl.length);
    // both three letters or fewer: only a case difference counts ("all" is not "ACL")
    const limit = Math.max(w.length, kl.length) <= 3 ? 0 : Math.max(1, Math.floor(shortest / 3));
    if (dist > limit) {
      if (kl.length >= 4 && w.length >= 4 && (w.startsWith(kl) || kl.startsWith(w))) {
        dist = limit + 0.5;
      } else continue;
    }
    if (dist < bestD) {
      bestD = dist;
      best = k;
    }
  }
  return best;
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
