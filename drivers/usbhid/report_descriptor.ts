/**
 * Pure HID report-descriptor parser (bytes in, typed HID objects out) with
 * NUT's semantics (hidparser.c): usage stack, collection paths with `[n]`
 * index nodes for vendor collection types ≥ 0x80, per-report-ID/type bit
 * offsets (8-bit counters, as NUT), continuation fields folded into the
 * previous object, LogMax sign repair. {@linkcode decodeItems} lists every
 * short item (main, global, local) for diagnostics.
 *
 * @module
 */

/** Report type of a HID object. */
export type ReportType = "Input" | "Output" | "Feature";

/** One HID object (NUT's HIDData_t). */
export interface HidItem {
  /** Usage path: collection usages, `0x00ff00nn` index nodes, then the field's usage. */
  readonly path: readonly number[];
  /** Input, Output or Feature. */
  readonly type: ReportType;
  /** Report ID (0 when the descriptor has none). */
  readonly reportId: number;
  /** Bit offset after the report-ID byte (NUT keeps it in 8 bits). */
  readonly offset: number;
  /** Size in bits. */
  readonly size: number;
  /** Main item data (bit 0 = constant). */
  readonly attribute: number;
  /** Logical minimum. */
  readonly logMin: number;
  /** Logical maximum. */
  readonly logMax: number;
  /** Physical minimum (0 when absent). */
  readonly phyMin: number;
  /** Physical maximum (0 when absent). */
  readonly phyMax: number;
  /** Whether a physical minimum was given. */
  readonly havePhyMin: boolean;
  /** Whether a physical maximum was given. */
  readonly havePhyMax: boolean;
  /** Unit code (32-bit). */
  readonly unit: number;
  /** Unit exponent (-8..7). */
  readonly unitExp: number;
}

/** A parsed descriptor. */
export interface ReportDescriptor {
  /** HID objects, in descriptor order. */
  readonly items: readonly HidItem[];
  /** Report length in bytes (without the ID byte) by report ID. */
  readonly reportLength: ReadonlyMap<number, number>;
  /** Warnings NUT would log (e.g. LogMax repaired). */
  readonly warnings: readonly string[];
}

/** A decoded short item. */
export interface RawItem {
  /** Byte offset in the descriptor. */
  readonly pos: number;
  /** `main`, `global`, `local` or `long`. */
  readonly kind: "main" | "global" | "local" | "long" | "reserved";
  /** Item name (`Usage Page`, `Input`, `Collection`, ...). */
  readonly name: string;
  /** The prefix byte. */
  readonly prefix: number;
  /** Unsigned data value. */
  readonly value: number;
  /** Data size in bytes. */
  readonly size: number;
}

const SIZES = [0, 1, 2, 4] as const;
const MAIN: Record<number, string> = {
  0x80: "Input",
  0x90: "Output",
  0xb0: "Feature",
  0xa0: "Collection",
  0xc0: "End Collection",
};
const GLOBAL: Record<number, string> = {
  0x04: "Usage Page",
  0x14: "Logical Minimum",
  0x24: "Logical Maximum",
  0x34: "Physical Minimum",
  0x44: "Physical Maximum",
  0x54: "Unit Exponent",
  0x64: "Unit",
  0x74: "Report Size",
  0x84: "Report ID",
  0x94: "Report Count",
  0xa4: "Push",
  0xb4: "Pop",
};
const LOCAL: Record<number, string> = {
  0x08: "Usage",
  0x18: "Usage Minimum",
  0x28: "Usage Maximum",
  0x38: "Designator Index",
  0x48: "Designator Minimum",
  0x58: "Designator Maximum",
  0x78: "String Index",
  0x88: "String Minimum",
  0x98: "String Maximum",
  0xa8: "Delimiter",
};

function readValue(bytes: Uint8Array, pos: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v += (bytes[pos + i] ?? 0) * 2 ** (8 * i);
  return v;
}

/**
 * Lists every item of a descriptor (main, global, local; long items skipped as a unit).
 * @param bytes the report descriptor
 * @returns the items in order
 */
export function decodeItems(bytes: Uint8Array): RawItem[] {
  const out: RawItem[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const prefix = bytes[pos]!;
    if (prefix === 0xfe) {
      const size = bytes[pos + 1] ?? 0;
      out.push({ pos, kind: "long", name: "Long Item", prefix, value: size, size });
      pos += 3 + size;
      continue;
    }
    const size = SIZES[prefix & 3]!;
    const value = readValue(bytes, pos + 1, size);
    const tag = prefix & 0xfc;
    const type = prefix & 0x0c;
    const name = type === 0
      ? MAIN[tag]
      : type === 4
      ? GLOBAL[tag]
      : type === 8
      ? LOCAL[tag]
      : undefined;
    const kind = name === undefined
      ? "reserved"
      : type === 0
      ? "main"
      : type === 4
      ? "global"
      : "local";
    out.push({ pos, kind, name: name ?? "Reserved", prefix, value, size });
    pos += 1 + size;
  }
  return out;
}

function signed(v: number, size: number): number {
  if (size === 1) return (v << 24) >> 24;
  if (size === 2) return (v << 16) >> 16;
  if (size === 4) return v | 0;
  return v;
}

const MAX_ITEMS = 500;

/**
 * Parses a HID report descriptor the way NUT's usbhid-ups does.
 * @param bytes the report descriptor
 * @returns objects, report lengths and warnings
 */
export function parseReportDescriptor(bytes: Uint8Array): ReportDescriptor {
  const items: HidItem[] = [];
  const warnings: string[] = [];
  const offsets = new Map<string, number>();
  const reportLength = new Map<number, number>();
  let usages: number[] = [];
  let upage = 0;
  const path: number[] = [];
  let reportId = 0;
  let size = 0;
  let reportCount = 0;
  let logMin = 0;
  let logMax = 0;
  let phyMin = 0;
  let phyMax = 0;
  let havePhyMin = false;
  let havePhyMax = false;
  let unit = 0;
  let unitExp = 0;
  let pos = 0;
  const shiftUsage = (): number => {
    const u = usages[0] ?? 0;
    if (usages.length > 0) usages = usages.slice(1);
    return u;
  };
  while (pos < bytes.length && items.length < MAX_ITEMS) {
    const prefix = bytes[pos++]!;
    const n = SIZES[prefix & 3]!;
    const value = readValue(bytes, pos, n);
    pos += n;
    const tag = prefix & 0xfc;
    switch (tag) {
      case 0x04:
        upage = value & 0xffff;
        break;
      case 0x08:
        usages.push(n > 2 ? value >>> 0 : ((upage << 16) | (value & 0xffff)) >>> 0);
        break;
      case 0xa0: {
        path.push(shiftUsage());
        if (value >= 0x80) path.push(0x00ff0000 | (value & 0x7f));
        usages = [];
        break;
      }
      case 0xc0:
        path.pop();
        if (path.length > 0 && ((path[path.length - 1]! & 0xffff0000) >>> 0) === 0x00ff0000) {
          path.pop();
        }
        usages = [];
        break;
      case 0x80:
      case 0x90:
      case 0xb0: {
        const type: ReportType = tag === 0x80 ? "Input" : tag === 0x90 ? "Output" : "Feature";
        // NUT's Count is 8 bits: a Report Count of 0 runs 256 times.
        const count = (reportCount & 0xff) === 0 ? 256 : reportCount & 0xff;
        const key = `${reportId}:${tag}`;
        for (let i = 0; i < count; i++) {
          const usage = usages[0] ?? 0;
          const found = usage !== 0;
          if (usages.length > 0) usages = usages.slice(1);
          // NUT marks free offset slots with report ID 0, so ID 0 always restarts at 0.
          const offset = reportId === 0 ? 0 : offsets.get(key) ?? 0;
          if (found && items.length < MAX_ITEMS) {
            items.push({
              path: [...path, usage],
              type,
              reportId,
              offset,
              size,
              attribute: value & 0xff,
              logMin,
              logMax,
              phyMin,
              phyMax,
              havePhyMin,
              havePhyMax,
              unit,
              unitExp,
            });
            const bytesLen = (offset + size + 7) >> 3;
            if (bytesLen > (reportLength.get(reportId) ?? 0)) reportLength.set(reportId, bytesLen);
          }
          offsets.set(key, (offset + size) & 0xff);
        }
        usages = [];
        break;
      }
      case 0x84:
        reportId = value & 0xff;
        break;
      case 0x74:
        size = value & 0xff;
        break;
      case 0x94:
        reportCount = value & 0xff;
        break;
      case 0x54: {
        let e = value & 0xff;
        if (e > 7) e = ((e | 0xf0) << 24) >> 24;
        unitExp = e;
        break;
      }
      case 0x64:
        unit = value >>> 0;
        break;
      case 0x14:
        logMin = signed(value, n);
        break;
      case 0x24:
        logMax = signed(value, n);
        if (logMax < logMin) {
          warnings.push(
            `Parse_ReportDesc: LogMax is less than LogMin. Vendor HID report descriptor may be ` +
              `incorrect; interpreting LogMax ${logMax} as ${value} in ReportID: 0x${
                reportId.toString(16).padStart(2, "0")
              }`,
          );
          logMax = value;
        }
        break;
      case 0x34:
        phyMin = signed(value, n);
        havePhyMin = true;
        break;
      case 0x44:
        phyMax = signed(value, n);
        havePhyMax = true;
        break;
      case 0xfc:
        // long item: skip its data as NUT does
        pos += value & 0xff;
        break;
    }
  }
  return { items, reportLength, warnings };
}
