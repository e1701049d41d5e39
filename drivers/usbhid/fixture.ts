/**
 * The USB-HID recording format shared with ../shared/data/hid/ (see its
 * README): one device per JSON file — IDs, USB strings, the report
 * descriptor, raw report buffers by report ID. `nut usbhid-ups -x
 * record=FILE.json` writes it; `port = replay:FILE.json` replays it. Our
 * additions (all optional): `strings` (string descriptors by index),
 * `string_indexes`, `interrupts` (interrupt-in reports), `bus`, `device`.
 *
 * @module
 */

/** A parsed recording. */
export interface HidFixture {
  /** File name stem. */
  readonly id: string;
  /** USB vendor ID, or null when unknown. */
  readonly vendorId: number | null;
  /** USB product ID, or null when unknown. */
  readonly productId: number | null;
  /** Human vendor name. */
  readonly vendor: string | null;
  /** Human product name. */
  readonly product: string | null;
  /** iManufacturer / iProduct / iSerialNumber texts and bcdDevice as the driver printed them. */
  readonly usbStrings: Readonly<Record<string, string>>;
  /** String descriptors by index (recordings made by nut). */
  readonly strings: ReadonlyMap<number, string>;
  /** Device-descriptor string indexes. */
  readonly stringIndexes: { iManufacturer: number; iProduct: number; iSerialNumber: number };
  /** The report descriptor, or null when incomplete. */
  readonly descriptor: Uint8Array | null;
  /** Report buffers by report ID (first byte = ID). */
  readonly reports: ReadonlyMap<number, Uint8Array>;
  /** Interrupt-in reports, in order. */
  readonly interrupts: readonly Uint8Array[];
  /** Bus number text (`"001"`). */
  readonly bus: string;
  /** Device address text (`"001"`). */
  readonly device: string;
  /** Expected NUT variables (upsc output), when the recording has them. */
  readonly expectedVars: Readonly<Record<string, string>>;
  /** The raw JSON object, for fields we do not interpret. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * Parses space-separated hex bytes.
 * @param text `"05 84 09 04"`
 * @returns the bytes
 * @throws SyntaxError on a bad byte
 */
export function hexToBytes(text: string): Uint8Array {
  const parts = text.trim() === "" ? [] : text.trim().split(/\s+/);
  return new Uint8Array(parts.map((h) => {
    if (!/^[0-9a-fA-F]{1,2}$/.test(h)) throw new SyntaxError(`Bad hex byte "${h}"`);
    return parseInt(h, 16);
  }));
}

/**
 * Formats bytes as lower-case hex separated by single spaces.
 * @param bytes the bytes
 * @returns the text
 */
export function bytesToHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function hexId(v: unknown): number | null {
  return typeof v === "string" && /^[0-9a-fA-F]{1,4}$/.test(v) ? parseInt(v, 16) : null;
}

/**
 * Reads a recording from its JSON text.
 * @param text the file content
 * @param file file name for messages
 * @returns the fixture
 * @throws SyntaxError naming the file and what is wrong
 */
export function parseFixture(text: string, file: string): HidFixture {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot parse USB recording ${file}: ${(e as Error).message}`);
  }
  if (!isRecord(data)) {
    throw new SyntaxError(`Cannot parse USB recording ${file}: not a JSON object`);
  }
  const fail = (what: string) => new SyntaxError(`Cannot parse USB recording ${file}: ${what}`);
  const usbStrings: Record<string, string> = {};
  if (isRecord(data.usb_strings)) {
    for (const [k, v] of Object.entries(data.usb_strings)) {
      if (typeof v === "string") usbStrings[k] = v;
    }
  }
  const strings = new Map<number, string>();
  if (isRecord(data.strings)) {
    for (const [k, v] of Object.entries(data.strings)) {
      if (typeof v === "string" && /^\d+$/.test(k)) strings.set(parseInt(k, 10), v);
    }
  }
  const idx = isRecord(data.string_indexes) ? data.string_indexes : {};
  const num = (v: unknown, d: number) => typeof v === "number" ? v : d;
  const stringIndexes = {
    iManufacturer: num(idx.iManufacturer, usbStrings.iManufacturer !== undefined ? 1 : 0),
    iProduct: num(idx.iProduct, usbStrings.iProduct !== undefined ? 2 : 0),
    iSerialNumber: num(idx.iSerialNumber, usbStrings.iSerialNumber !== undefined ? 3 : 0),
  };
  if (strings.size === 0) {
    // Recordings extracted from NUT logs only carry the three identity strings.
    if (usbStrings.iManufacturer !== undefined) {
      strings.set(stringIndexes.iManufacturer, usbStrings.iManufacturer);
    }
    if (usbStrings.iProduct !== undefined) strings.set(stringIndexes.iProduct, usbStrings.iProduct);
    if (usbStrings.iSerialNumber !== undefined) {
      strings.set(stringIndexes.iSerialNumber, usbStrings.iSerialNumber);
    }
  }
  let descriptor: Uint8Array | null = null;
  if (typeof data.descriptor_hex === "string") {
    try {
      descriptor = hexToBytes(data.descriptor_hex);
    } catch (e) {
      throw fail(`descriptor_hex: ${(e as Error).message}`);
    }
  }
  const reports = new Map<number, Uint8Array>();
  if (isRecord(data.reports)) {
    for (const [k, v] of Object.entries(data.reports)) {
      const id = /^0x[0-9a-fA-F]{1,2}$/.test(k) ? parseInt(k, 16) : NaN;
      if (Number.isNaN(id) || typeof v !== "string") throw fail(`bad report entry "${k}"`);
      try {
        reports.set(id, hexToBytes(v));
      } catch (e) {
        throw fail(`report ${k}: ${(e as Error).message}`);
      }
    }
  }
  const interrupts: Uint8Array[] = [];
  if (Array.isArray(data.interrupts)) {
    for (const v of data.interrupts) if (typeof v === "string") interrupts.push(hexToBytes(v));
  }
  const expectedVars: Record<string, string> = {};
  if (isRecord(data.expected_vars)) {
    for (const [k, v] of Object.entries(data.expected_vars)) {
      if (typeof v === "string") expectedVars[k] = v;
    }
  }
  return {
    id: str(data.id) ?? file.replace(/^.*\//, "").replace(/\.json$/, ""),
    vendorId: hexId(data.vendorid),
    productId: hexId(data.productid),
    vendor: str(data.vendor),
    product: str(data.product),
    usbStrings,
    strings,
    stringIndexes,
    descriptor,
    reports,
    interrupts,
    bus: str(data.bus) ?? "001",
    device: str(data.device) ?? "001",
    expectedVars,
    raw: data,
  };
}
