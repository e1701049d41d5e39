/**
 * upsset.conf: the switch that enables upsset.cgi.
 *
 * @module
 */

import { type ConfigProblem, ProblemList, tokenizeConfig } from "./problem.ts";
import { lazyHint } from "./suggest.ts";

/** The word that enables upsset.cgi. */
export const UPSSET_MAGIC = "I_HAVE_SECURED_MY_CGI_DIRECTORY";

/** A parsed upsset.conf. */
export interface UpssetConf {
  /** Whether a line starts with `I_HAVE_SECURED_MY_CGI_DIRECTORY`. */
  readonly secured: boolean;
  /** Problems found. */
  readonly problems: readonly ConfigProblem[];
}

/**
 * Parses upsset.conf text: only a first word `I_HAVE_SECURED_MY_CGI_DIRECTORY`
 * means anything.
 * @param text file contents (latin1 byte string)
 * @param opts `file`: the name problems carry
 * @returns whether upsset.cgi is enabled, and problems
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpssetConf } from "./upsset_conf.ts";
 * assert.equal(parseUpssetConf("I_HAVE_SECURED_MY_CGI_DIRECTORY\n", { file: "upsset.conf" }).secured, true);
 * ```
 */
export function parseUpssetConf(text: string, opts: { file: string }): UpssetConf {
  const p = new ProblemList(opts.file);
  let secured = false;
  for (const l of tokenizeConfig(text, p)) {
    const k = l.words[0]!;
    if (k === UPSSET_MAGIC) secured = true;
    else {
      p.warn(l.line, `line ignored by upsset.cgi: ${l.words.join(" ")}`, {
        hint: lazyHint(k, [UPSSET_MAGIC]),
      });
    }
  }
  if (!secured) {
    p.warn(1, "Error: Secure mode has not been enabled in upsset.conf.", {
      hint: `add a line ${UPSSET_MAGIC} once the CGI directory is protected`,
    });
  }
  return { secured, problems: p.items };
}
