/**
 * Client-side errors with libupsclient's exact texts: connection-level
 * failures ({@linkcode UpsClientError}) and the mapping of upsd `ERR`
 * codes to what NUT's clients print ({@linkcode libupsclientText}).
 *
 * @module
 */

import { NutError } from "../errors.ts";
import { ResponseParseError } from "../protocol/response.ts";

/** libupsclient's own (non-`ERR`) failure kinds. */
export const CLIENT_ERR = {
  NOSUCHHOST: "No such host",
  CONNFAILURE: "Connection failure",
  SRVDISC: "Server disconnected",
  READ: "Read error",
  WRITE: "Write error",
  PROTOCOL: "Protocol error",
  PARSE: "Parse error",
  SSLFAIL: "SSL is not available",
  SSLERR: "SSL error",
  DRVNOTCONN: "Driver not connected",
  UNKNOWN: "Unknown error",
} as const;

/** A libupsclient failure kind. */
export type ClientErrCode = keyof typeof CLIENT_ERR;

/**
 * A connection-level client failure (no `ERR` line involved). `message` is
 * the text libupsclient's `upscli_strerror()` returns, e.g.
 * `Connection failure: Connection refused`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UpsClientError } from "./errors.ts";
 * const e = new UpsClientError("SRVDISC", "Server disconnected");
 * assert.equal(e.code, "SRVDISC");
 * assert.equal(e.message, "Server disconnected");
 * ```
 */
export class UpsClientError extends Error {
  /** The failure kind. */
  readonly code: ClientErrCode;

  /**
   * @param code the failure kind
   * @param text libupsclient's text
   * @param options cause
   */
  constructor(code: ClientErrCode, text: string, options: { cause?: unknown } = {}) {
    super(text, { cause: options.cause });
    this.name = "UpsClientError";
    this.code = code;
  }
}

/** upsd error words libupsclient recognises, in its table order (prefix match). */
const UPSD_ERRLIST: ReadonlyArray<readonly [string, string]> = [
  ["VAR-NOT-SUPPORTED", "Variable not supported by UPS"],
  ["UNKNOWN-UPS", "Unknown UPS"],
  ["ACCESS-DENIED", "Access denied"],
  ["PASSWORD-REQUIRED", "Password required"],
  ["PASSWORD-INCORRECT", "Password incorrect"],
  ["MISSING-ARGUMENT", "Missing argument"],
  ["DATA-STALE", "Data stale"],
  ["VAR-UNKNOWN", "Variable unknown"],
  ["ALREADY-LOGGED-IN", "Already logged in"],
  ["ALREADY-SET-PASSWORD", "Already set password"],
  ["UNKNOWN-TYPE", "Unknown variable type"],
  ["UNKNOWN-VAR", "Unknown variable"],
  ["READONLY", "Read-only variable"],
  ["TOO-LONG", "New value is too long"],
  ["INVALID-VALUE", "Invalid value for variable"],
  ["SET-FAILED", "Set command failed"],
  ["UNKNOWN-INSTCMD", "Unknown instant command"],
  ["INSTCMD-FAILED", "Instant command failed"],
  ["CMD-NOT-SUPPORTED", "Instant command not supported"],
  ["INVALID-USERNAME", "Invalid username"],
  ["ALREADY-SET-USERNAME", "Already set username"],
  ["UNKNOWN-COMMAND", "Unknown command"],
  ["INVALID-PASSWORD", "Invalid password"],
  ["USERNAME-REQUIRED", "Username required"],
  ["DRIVER-NOT-CONNECTED", "Driver not connected"],
];

/**
 * The text NUT's clients print for an upsd `ERR` code (`Error: <text>`),
 * by libupsclient's prefix match; unmapped codes give `Unknown error`.
 * @param code the word after `ERR ` (extra text may follow)
 * @returns libupsclient's text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { libupsclientText } from "./errors.ts";
 * assert.equal(libupsclientText("DATA-STALE"), "Data stale");
 * assert.equal(libupsclientText("INVALID-ARGUMENT"), "Unknown error");
 * ```
 */
export function libupsclientText(code: string): string {
  for (const [word, text] of UPSD_ERRLIST) {
    if (code.startsWith(word)) return text;
  }
  return CLIENT_ERR.UNKNOWN;
}

/**
 * What `upscli_strerror()` would say for any error a {@linkcode NutClient}
 * call throws.
 * @param e the thrown value
 * @returns the text (`Unknown UPS`, `Server disconnected`, ...)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NutError } from "../errors.ts";
 * import { clientErrorText } from "./errors.ts";
 * assert.equal(clientErrorText(new NutError("UNKNOWN-UPS")), "Unknown UPS");
 * ```
 */
export function clientErrorText(e: unknown): string {
  if (e instanceof NutError) {
    return libupsclientText(e.extra === undefined ? e.code : `${e.code} ${e.extra}`);
  }
  if (e instanceof UpsClientError) return e.message;
  if (e instanceof ResponseParseError) return `Parse error: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
