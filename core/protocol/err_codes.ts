/**
 * The closed set of NUT network protocol error codes, with the text
 * libupsclient shows for each (`Error: <text>`).
 *
 * @module
 */

/** Every `ERR` code NUT defines. */
export const ERR_CODES = [
  "ACCESS-DENIED",
  "UNKNOWN-UPS",
  "VAR-NOT-SUPPORTED",
  "CMD-NOT-SUPPORTED",
  "INVALID-ARGUMENT",
  "INSTCMD-FAILED",
  "SET-FAILED",
  "READONLY",
  "TOO-LONG",
  "FEATURE-NOT-SUPPORTED",
  "FEATURE-NOT-CONFIGURED",
  "ALREADY-SSL-MODE",
  "DRIVER-NOT-CONNECTED",
  "DATA-STALE",
  "ALREADY-LOGGED-IN",
  "INVALID-PASSWORD",
  "ALREADY-SET-PASSWORD",
  "INVALID-USERNAME",
  "ALREADY-SET-USERNAME",
  "USERNAME-REQUIRED",
  "PASSWORD-REQUIRED",
  "UNKNOWN-COMMAND",
  "INVALID-VALUE",
  "VAR-UNKNOWN",
  "UNKNOWN-TYPE",
  "UNKNOWN-INSTCMD",
  "MISSING-ARGUMENT",
  "PASSWORD-INCORRECT",
  "UNKNOWN-VAR",
  "INVALID-SSL-MODE",
] as const;

/** A NUT error code. */
export type ErrCode = typeof ERR_CODES[number];
