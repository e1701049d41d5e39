/**
 * Choosing the device and the subdriver, as usbhid-ups does: NUT's regex
 * matcher (vendorid, productid, vendor, product, serial, bus, device,
 * busport — whole-string, case-insensitive, blanks trimmed) and the
 * subdriver claim order (explore first when asked, then MGE, APC, Belkin,
 * CyberPower, Delta, Ever, Liebert, openUPS, Powercom, Salicru, Tripp Lite).
 *
 * @module
 */

import type { SubdriverTable } from "./subdrivers/types.ts";
import { apc } from "./subdrivers/apc.ts";
import { belkin } from "./subdrivers/belkin.ts";
import { cyberpower } from "./subdrivers/cyberpower.ts";
import { delta } from "./subdrivers/delta.ts";
import { ever } from "./subdrivers/ever.ts";
import { liebert } from "./subdrivers/liebert.ts";
import { mge } from "./subdrivers/mge.ts";
import { openups } from "./subdrivers/openups.ts";
import { powercom } from "./subdrivers/powercom.ts";
import { salicru } from "./subdrivers/salicru.ts";
import { tripplite } from "./subdrivers/tripplite.ts";

/** The explore subdriver: no mapping, generic names only. */
export const EXPLORE: SubdriverTable = {
  name: "EXPLORE HID 0.2",
  devices: [],
  usages: [],
  map: [],
  lookups: {},
};

/** Subdrivers in NUT's claim order (explore is handled separately). */
export const SUBDRIVERS: readonly SubdriverTable[] = [
  mge,
  apc,
  belkin,
  cyberpower,
  delta,
  ever,
  liebert,
  openups,
  powercom,
  salicru,
  tripplite,
];

/** The strings a device is matched on. */
export interface MatchTarget {
  readonly vendorId: number;
  readonly productId: number;
  readonly vendor?: string;
  readonly product?: string;
  readonly serial?: string;
  readonly bus: string;
  readonly device: string;
  readonly busport?: string;
}

/** The matching options (`-x vendorid=…` and friends), each a regex or undefined. */
export type MatchOptions = Partial<
  Record<
    "vendorid" | "productid" | "vendor" | "product" | "serial" | "bus" | "device" | "busport",
    string
  >
>;

/** A compiled matcher. */
export type Matcher = (t: MatchTarget) => boolean;

/**
 * Compiles NUT's regex matcher.
 * @param opts the options
 * @returns the matcher
 * @throws SyntaxError `invalid regular expression: <re>` like NUT's fatal message
 */
export function regexMatcher(opts: MatchOptions): Matcher {
  const compiled = (Object.entries(opts) as [keyof MatchOptions, string | undefined][])
    .filter((e): e is [keyof MatchOptions, string] => e[1] !== undefined)
    .map(([k, re]) => {
      try {
        return [k, new RegExp(`^(?:${re})$`, "i")] as const;
      } catch (e) {
        throw new SyntaxError(`invalid regular expression: ${re}`, { cause: e });
      }
    });
  const hex = (n: number) => n.toString(16).padStart(4, "0");
  return (t) =>
    compiled.every(([k, re]) => {
      const raw = k === "vendorid"
        ? hex(t.vendorId)
        : k === "productid"
        ? hex(t.productId)
        : k === "busport"
        ? t.busport
        : t[k];
      return re.test((raw ?? "").replace(/^[ \t\n]+/, "").replace(/[ \t\n]+$/, ""));
    });
}

/** Support level of a device for one subdriver. */
export type Support = "supported" | "possibly" | "no";

/**
 * NUT's is_usb_device_supported.
 * @param sub the subdriver
 * @param vendorId VID
 * @param productId PID
 * @returns the support level
 */
export function supportOf(sub: SubdriverTable, vendorId: number, productId: number): Support {
  let possibly = false;
  for (const d of sub.devices) {
    if (d.vendorId !== vendorId) continue;
    if (d.productId === productId) return "supported";
    possibly = true;
  }
  return possibly ? "possibly" : "no";
}

/** Result of the claim. */
export type Claim =
  | { readonly kind: "claimed"; readonly sub: SubdriverTable }
  | { readonly kind: "possibly"; readonly vendor: string }
  | { readonly kind: "none" };

/**
 * Picks the subdriver (NUT's claim loop, plus newer NUT's `subdriver` regex).
 * @param vendorId VID
 * @param productId PID
 * @param opts explore flag, productid given, subdriver regex
 * @returns the claim
 */
export function claimSubdriver(
  vendorId: number,
  productId: number,
  opts: { explore: boolean; productIdGiven: boolean; subdriver?: string },
): Claim {
  if (opts.explore) return { kind: "claimed", sub: EXPLORE };
  if (opts.subdriver !== undefined) {
    const re = new RegExp(opts.subdriver, "i");
    const sub = SUBDRIVERS.find((s) => re.test(s.name));
    return sub ? { kind: "claimed", sub } : { kind: "none" };
  }
  let possibly: string | undefined;
  for (const sub of SUBDRIVERS) {
    const s = supportOf(sub, vendorId, productId);
    if (s === "supported") return { kind: "claimed", sub };
    if (s === "possibly") {
      if (opts.productIdGiven) return { kind: "claimed", sub };
      possibly ??= sub.name.replace(/ HID.*$/, "");
    }
  }
  return possibly ? { kind: "possibly", vendor: possibly } : { kind: "none" };
}

/**
 * Finds a subdriver by the name NUT logs (`Using subdriver: APC HID 0.98`), ignoring the version.
 * @param name subdriver name, with or without version
 * @returns the subdriver (EXPLORE for `EXPLORE HID …`), or undefined
 */
export function subdriverByName(name: string): SubdriverTable | undefined {
  const base = (s: string) => s.replace(/\s+[\d.]+$/, "").toLowerCase();
  if (base(name) === base(EXPLORE.name)) return EXPLORE;
  return SUBDRIVERS.find((s) => base(s.name) === base(name));
}

/**
 * NUT's message for a device whose vendor a subdriver knows but whose product it does not.
 * @param vendor vendor name of the subdriver
 * @param vid VID
 * @param pid PID
 * @returns the message
 */
export function possiblySupported(vendor: string, vid: number, pid: number): string {
  const h = (n: number) => n.toString(16).padStart(4, "0");
  return `This ${vendor} device (${h(vid)}:${h(pid)}) is not (or perhaps not yet) supported\n` +
    "by usbhid-ups. Please make sure you have an up-to-date version of NUT. If\n" +
    "this does not fix the problem, try running the driver with the\n" +
    `'-x productid=${h(pid)}' option. Please report your results to the NUT user's\n` +
    "mailing list <nut-upsuser@lists.alioth.debian.org>.\n";
}
