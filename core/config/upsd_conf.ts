/**
 * upsd.conf: LISTEN, MAXAGE, MAXCONN, ... exactly as NUT 2.8.0's upsd reads
 * them (Debian's NSS build: `CERTPATH`/`CERTIDENT`; `CERTFILE` and
 * `CERTREQUEST` are invalid directives there, as the real binary shows).
 *
 * @module
 */

import { atoi, type ConfigProblem, ProblemList, tokenizeConfig } from "./problem.ts";
import { lazyHint } from "./suggest.ts";

/** One `LISTEN address [port]`. */
export interface UpsdListen {
  /** Address or host name as written (`*` = every address, NUT ≥ 2.8.1). */
  readonly address: string;
  /** Port as written; `3493` when omitted. */
  readonly port: string;
  /** Line of the directive. */
  readonly line: number;
}

/** A parsed upsd.conf. */
export interface UpsdConf {
  /** LISTEN lines in order; empty = NUT's default (127.0.0.1 and ::1 on 3493). */
  readonly listen: readonly UpsdListen[];
  /** `MAXAGE` seconds; default 15. */
  readonly maxAge: number;
  /** `TRACKINGDELAY` seconds; default 3600. */
  readonly trackingDelay: number;
  /** `ALLOW_NO_DEVICE`; default false. */
  readonly allowNoDevice: boolean;
  /** `MAXCONN`; undefined = the open-files limit. */
  readonly maxConn: number | undefined;
  /** `STATEPATH`. */
  readonly statePath: string | undefined;
  /** `DATAPATH`. */
  readonly dataPath: string | undefined;
  /** `CERTPATH` (NSS database directory). */
  readonly certPath: string | undefined;
  /** `CERTIDENT name password`. */
  readonly certIdent: { readonly name: string; readonly password: string } | undefined;
  /** `DISABLE_WEAK_SSL`; default false. */
  readonly disableWeakSsl: boolean;
  /** `DEBUG_MIN` (any case). */
  readonly debugMin: number | undefined;
  /** Problems found, NUT's wording (`upsd.conf: invalid directive ...`). */
  readonly problems: readonly ConfigProblem[];
}

/** Every keyword upsd 2.8.0 (NSS build) accepts, plus the obsolete ones it warns about. */
export const UPSD_CONF_KEYWORDS: readonly string[] = [
  "LISTEN",
  "MAXAGE",
  "TRACKINGDELAY",
  "ALLOW_NO_DEVICE",
  "MAXCONN",
  "STATEPATH",
  "DATAPATH",
  "CERTPATH",
  "CERTIDENT",
  "DISABLE_WEAK_SSL",
  "DEBUG_MIN",
  "ACCEPT",
  "REJECT",
  "ACL",
];

/** Default port. */
export const NUT_PORT = "3493";

/**
 * upsd's boolean words (case-insensitive): true/on/yes/1, false/off/no/0.
 * @param s text
 * @returns the value, or undefined when it is not a boolean word
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBoolean } from "./upsd_conf.ts";
 * assert.equal(parseBoolean("YES"), true);
 * assert.equal(parseBoolean("2"), undefined);
 * ```
 */
export function parseBoolean(s: string): boolean | undefined {
  const l = s.toLowerCase();
  if (l === "true" || l === "on" || l === "yes" || l === "1") return true;
  if (l === "false" || l === "off" || l === "no" || l === "0") return false;
  return undefined;
}

/** glibc `strtol(s, &end, 10)` with a full-string and int-range check (NUT's str_to_int). */
function strToInt(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(s);
  if (!m) return undefined;
  const n = Number.parseInt(m[1]!, 10);
  return n < -2147483648 || n > 2147483647 ? undefined : n;
}

const isDigit = (s: string) => s.length > 0 && s.charCodeAt(0) >= 0x30 && s.charCodeAt(0) <= 0x39;

interface Mutable {
  listen: UpsdListen[];
  maxAge: number;
  trackingDelay: number;
  allowNoDevice: boolean;
  maxConn: number | undefined;
  statePath: string | undefined;
  dataPath: string | undefined;
  certPath: string | undefined;
  certIdent: { name: string; password: string } | undefined;
  disableWeakSsl: boolean;
  debugMin: number | undefined;
}

/** One directive; returns false when NUT calls it invalid. */
function directive(c: Mutable, w: string[], line: number, p: ProblemList): boolean {
  if (w.length < 2) return false;
  const [k, a1] = [w[0]!, w[1]!];
  const numeric = (name: string, set: (n: number) => void): boolean => {
    if (isDigit(a1)) {
      set(atoi(a1));
      return true;
    }
    p.error(line, `${name} has non numeric value (${a1})!`, { logged: true });
    return false;
  };
  if (k.toUpperCase() === "DEBUG_MIN") {
    const n = strToInt(a1);
    if (n !== undefined && n >= 0) c.debugMin = n;
    else p.warn(line, "DEBUG_MIN has non numeric or negative value in upsd.conf", { logged: true });
    return true;
  }
  switch (k) {
    case "MAXAGE":
      return numeric(k, (n) => c.maxAge = n);
    case "TRACKINGDELAY":
      return numeric(k, (n) => c.trackingDelay = n);
    case "ALLOW_NO_DEVICE": {
      if (isDigit(a1)) {
        c.allowNoDevice = atoi(a1) !== 0;
        return true;
      }
      const b = parseBoolean(a1);
      if (b !== undefined) {
        c.allowNoDevice = b;
        return true;
      }
      p.error(line, `ALLOW_NO_DEVICE has non numeric and non boolean value (${a1})!`, {
        logged: true,
      });
      return false;
    }
    case "MAXCONN":
      return numeric(k, (n) => c.maxConn = n);
    case "STATEPATH":
      c.statePath = a1;
      return true;
    case "DATAPATH":
      c.dataPath = a1;
      return true;
    case "CERTPATH":
      c.certPath = a1;
      return true;
    case "DISABLE_WEAK_SSL": {
      const b = parseBoolean(a1);
      if (b !== undefined) {
        c.disableWeakSsl = b;
        return true;
      }
      p.error(line, `DISABLE_WEAK_SSL has non boolean value (${a1})!`, { logged: true });
      return false;
    }
    case "ACCEPT":
    case "REJECT":
      p.warn(line, `${k} in upsd.conf is no longer supported - switch to LISTEN`, { logged: true });
      return true;
    case "LISTEN":
      c.listen.push({ address: a1, port: w.length < 3 ? NUT_PORT : w[2]!, line });
      return true;
  }
  if (w.length < 3) return false;
  if (k === "ACL") {
    p.warn(line, "ACL in upsd.conf is no longer supported - switch to LISTEN", { logged: true });
    return true;
  }
  if (k === "CERTIDENT") {
    c.certIdent = { name: a1, password: w[2]! };
    return true;
  }
  return false;
}

/**
 * Parses upsd.conf text as upsd 2.8.0 does; invalid lines are reported
 * with NUT's wording and otherwise ignored (as NUT ignores them).
 * @param text file contents (latin1 byte string)
 * @param opts `file`: the name problems carry
 * @returns the settings with defaults, and the problems
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsdConf } from "./upsd_conf.ts";
 * const c = parseUpsdConf("LISTEN 127.0.0.1\nMAXAGE 20\nFOO bar\n", { file: "upsd.conf" });
 * assert.deepEqual(c.listen, [{ address: "127.0.0.1", port: "3493", line: 1 }]);
 * assert.equal(c.maxAge, 20);
 * assert.equal(c.problems[0]?.message, "upsd.conf: invalid directive FOO bar");
 * ```
 */
export function parseUpsdConf(text: string, opts: { file: string }): UpsdConf {
  const p = new ProblemList(opts.file);
  const c: Mutable = {
    listen: [],
    maxAge: 15,
    trackingDelay: 3600,
    allowNoDevice: false,
    maxConn: undefined,
    statePath: undefined,
    dataPath: undefined,
    certPath: undefined,
    certIdent: undefined,
    disableWeakSsl: false,
    debugMin: undefined,
  };
  for (const l of tokenizeConfig(text, p)) {
    if (directive(c, l.words, l.line, p)) continue;
    // NUT builds this message in a SMALLBUF (512 bytes, NUL included)
    const msg = `upsd.conf: invalid directive ${l.words.join(" ")}`.slice(0, 511);
    p.error(l.line, msg, { logged: true, hint: lazyHint(l.words[0]!, UPSD_CONF_KEYWORDS) });
  }
  return { ...c, problems: p.items };
}
