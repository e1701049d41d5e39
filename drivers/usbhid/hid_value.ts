/**
 * Values of HID objects inside report buffers, with NUT's conversions
 * (libhid.c / hidparser.c): little-endian bit fields after the report-ID
 * byte, masking and sign extension from the logical range, clamping,
 * logical→physical scaling, unit exponents relative to NUT's unit table,
 * and `%g`-style printing.
 *
 * @module
 */

import type { HidItem } from "./report_descriptor.ts";

/** NUT's unit table: unit code → exponent NUT assumes for it. */
const UNIT_EXPONENTS: ReadonlyMap<number, number> = new Map([
  [0x00000000, 0], // none, percent
  [0x00f0d121, 7], // volt
  [0x00100001, 0], // ampere
  [0x0000d121, 7], // VA, watt
  [0x00001001, 0], // second
  [0x00010001, 0], // kelvin
  [0x0000f001, 0], // hertz
  [0x00101001, 0], // ampere-second
]);

function hibit(x: number): number {
  let r = 0;
  while (x > 0) {
    x = Math.floor(x / 2);
    r++;
  }
  return r;
}

/**
 * Reads the logical value of an item from a report buffer (byte 0 = report ID).
 * @param buf the report buffer
 * @param item the HID object
 * @returns the logical value, masked, sign-extended and clamped like NUT
 */
export function getLogical(buf: Uint8Array, item: HidItem): number {
  let value = 0;
  let bit = item.offset + 8;
  for (let w = 0; w < item.size; w++, bit++) {
    if ((buf[bit >> 3] ?? 0) & (1 << (bit & 7))) value += 2 ** w;
  }
  const magMax = item.logMax >= 0 ? item.logMax : -(item.logMax + 1);
  const magMin = item.logMin >= 0 ? item.logMin : -(item.logMin + 1);
  const signbit = 2 ** hibit(Math.max(magMax, magMin));
  const mask = signbit - 1 + (item.logMin < 0 ? signbit : 0);
  value = value % (mask + 1);
  if (item.logMin < 0 && value >= signbit) value -= 2 * signbit;
  if (value < item.logMin) value = item.logMin;
  else if (value > item.logMax) value = item.logMax;
  return value;
}

/**
 * Writes a logical value into a report buffer.
 * @param buf the report buffer (modified)
 * @param item the HID object
 * @param value the logical value
 */
export function setLogical(buf: Uint8Array, item: HidItem, value: number): void {
  let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
  let bit = item.offset + 8;
  for (let w = 0; w < item.size; w++, bit++) {
    const byte = bit >> 3;
    if (byte >= buf.length) break;
    if (v & 1n) buf[byte] = buf[byte]! | (1 << (bit & 7));
    else buf[byte] = buf[byte]! & ~(1 << (bit & 7));
    v >>= 1n;
  }
}

/** The exponent NUT applies: UnitExp minus the unit table's default. */
export function unitExponent(item: HidItem): number {
  return item.unitExp - (UNIT_EXPONENTS.get(item.unit >>> 0) ?? 0);
}

function pow10(e: number): number {
  let r = 1;
  if (e > 0) { for (let i = 0; i < e; i++) r = 10 * r; }
  else for (let i = 0; i < -e; i++) r = (1 / 10) * r;
  return r;
}

function usesPhysical(item: HidItem): boolean {
  if (!item.havePhyMax || !item.havePhyMin || (item.phyMax === 0 && item.phyMin === 0)) {
    return false;
  }
  return item.phyMax > item.phyMin && item.logMax > item.logMin;
}

/**
 * Converts a logical value to NUT's physical value (scaling and exponent).
 * @param item the HID object
 * @param logical the logical value
 * @returns the value NUT works with
 */
export function toPhysical(item: HidItem, logical: number): number {
  let physical = logical;
  if (usesPhysical(item)) {
    const factor = (item.phyMax - item.phyMin) / (item.logMax - item.logMin);
    physical = (logical - item.logMin) * factor + item.phyMin;
    if (physical > item.phyMax) physical = item.phyMax;
    if (physical < item.phyMin) physical = item.phyMin;
  }
  return physical * pow10(unitExponent(item));
}

/**
 * Converts a physical value back to a logical one (for SET_REPORT).
 * @param item the HID object
 * @param physical the value
 * @returns the logical value
 */
export function toLogical(item: HidItem, physical: number): number {
  const value = physical / pow10(unitExponent(item));
  if (!usesPhysical(item)) return Math.trunc(value);
  const factor = (item.logMax - item.logMin) / (item.phyMax - item.phyMin);
  const logical = Math.trunc((value - item.phyMin) * factor) + item.logMin;
  return Math.min(item.logMax, Math.max(item.logMin, logical));
}

/**
 * Reads the physical value of an item from a report buffer.
 * @param buf the report buffer
 * @param item the HID object
 * @returns the value
 */
export function readValue(buf: Uint8Array, item: HidItem): number {
  return toPhysical(item, getLogical(buf, item));
}
