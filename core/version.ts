/**
 * The NUT version `nut` reproduces (its banners, `VER` and `server.version`
 * must match Debian's NUT 2.8.0 byte for byte) and the project's own.
 *
 * @module
 */

/** The NUT release whose behaviour and texts we reproduce. */
export const NUT_VERSION = "2.8.0";
/** This project's version. */
export const NUT_TS_VERSION = "0.1.0";
/** `VER` reply and `server.info` (2.8.0 text). */
export const UPSD_VER_TEXT =
  `Network UPS Tools upsd ${NUT_VERSION} - http://www.networkupstools.org/`;
