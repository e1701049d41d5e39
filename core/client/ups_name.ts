/**
 * `upsname[@hostname[:port]]` and `hostname[:port]` as libupsclient's
 * `upscli_splitname()`/`upscli_splitaddr()` read them, including IPv6
 * `[addr]:port` literals, NUT's defaults and its exact diagnostics.
 *
 * @module
 */

/** NUT's default upsd port. */
export const DEFAULT_PORT = 3493;

/** libupsclient's buffer for these strings (SMALLBUF): longer input is cut. */
const SMALLBUF = 512;

/** A host and port. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** A parsed UPS identifier. */
export interface UpsName extends HostPort {
  readonly ups: string;
}

/** Result of a split: the value, or the diagnostics libupsclient prints on stderr. */
export type SplitResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly diagnostics: readonly string[] };

/**
 * Splits `hostname[:port]` (or `[ipv6][:port]`) like `upscli_splitaddr()`.
 * @param text the address text
 * @returns host and port, or NUT's diagnostic lines (without newline)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitAddr } from "./ups_name.ts";
 * assert.deepEqual(splitAddr("[::1]:3494"), { ok: true, value: { host: "::1", port: 3494 } });
 * assert.deepEqual(splitAddr("h:0"), {
 *   ok: false,
 *   diagnostics: ["upscli_splitaddr: no port specified after ':' separator"],
 * });
 * ```
 */
export function splitAddr(text: string): SplitResult<HostPort> {
  const tmp = text.slice(0, SMALLBUF - 1);
  if (tmp.length < 1) {
    return { ok: false, diagnostics: ["upscli_splitaddr: can't parse empty string"] };
  }
  let host: string;
  let portText: string;
  if (tmp.startsWith("[")) {
    const close = tmp.indexOf("]");
    if (close < 0) {
      return {
        ok: false,
        diagnostics: ["upscli_splitaddr: missing closing bracket in [domain literal]"],
      };
    }
    // strtok_r(tmp + 1, "]") skips leading ']' characters
    const inner = tmp.slice(1).replace(/^\]+/, "");
    const end = inner.indexOf("]");
    host = end < 0 ? inner : inner.slice(0, end);
    // the rest after the token's terminating ']' (strtok_r with an empty delimiter set)
    const rest = end < 0 ? "" : inner.slice(end + 1);
    if (!rest.startsWith(":")) return { ok: true, value: { host, port: DEFAULT_PORT } };
    portText = rest.slice(1);
  } else {
    const colon = tmp.indexOf(":");
    // strtok_r(tmp, ":") skips leading ':' characters
    const stripped = tmp.replace(/^:+/, "");
    const end = stripped.indexOf(":");
    host = end < 0 ? stripped : stripped.slice(0, end);
    if (colon < 0) return { ok: true, value: { host, port: DEFAULT_PORT } };
    portText = tmp.slice(colon + 1);
  }
  const port = strtol(portText);
  if (portText === "" || port < 1 || port > 65535) {
    return {
      ok: false,
      diagnostics: ["upscli_splitaddr: no port specified after ':' separator"],
    };
  }
  return { ok: true, value: { host, port } };
}

/** C's `strtol(s, NULL, 10)` for what matters here (sign, digits, saturation). */
function strtol(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?)([0-9]*)/.exec(s);
  if (!m || m[2] === "") return 0;
  const v = Number(m[2]!.slice(0, 20));
  return m[1] === "-" ? -v : v;
}

/**
 * Splits `upsname[@hostname[:port]]` like `upscli_splitname()`; the host
 * defaults to `localhost`, the port to 3493.
 * @param text the UPS identifier
 * @returns ups, host and port, or NUT's diagnostic lines
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitName } from "./ups_name.ts";
 * assert.deepEqual(splitName("su700@ups.lan:3494"), {
 *   ok: true,
 *   value: { ups: "su700", host: "ups.lan", port: 3494 },
 * });
 * assert.deepEqual(splitName("su700"), {
 *   ok: true,
 *   value: { ups: "su700", host: "localhost", port: 3493 },
 * });
 * ```
 */
export function splitName(text: string | undefined): SplitResult<UpsName> {
  if (text === undefined) return { ok: false, diagnostics: [] };
  const tmp = text.slice(0, SMALLBUF - 1);
  if (tmp.length < 1) {
    return { ok: false, diagnostics: ["upscli_splitname: can't parse empty string"] };
  }
  const at = tmp.indexOf("@");
  // strtok_r(tmp, "@"): leading '@' skipped, token up to the next '@'
  const stripped = tmp.replace(/^@+/, "");
  const end = stripped.indexOf("@");
  const ups = end < 0 ? stripped : stripped.slice(0, end);
  if (ups === "") return { ok: false, diagnostics: [] };
  if (at < 0) return { ok: true, value: { ups, host: "localhost", port: DEFAULT_PORT } };
  const addr = splitAddr(tmp.slice(at + 1));
  if (!addr.ok) return addr;
  return { ok: true, value: { ups, ...addr.value } };
}

/**
 * Formats a UPS identifier back (`ups@host:port`, IPv6 in brackets).
 * @param name the parts
 * @returns the identifier text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatUpsName } from "./ups_name.ts";
 * assert.equal(formatUpsName({ ups: "u", host: "::1", port: 3493 }), "u@[::1]:3493");
 * ```
 */
export function formatUpsName(name: UpsName): string {
  const host = name.host.includes(":") ? `[${name.host}]` : name.host;
  return `${name.ups}@${host}:${name.port}`;
}
