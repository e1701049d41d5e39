/**
 * One open HID device as NUT's libhid sees it: the parsed descriptor, a
 * report buffer per report ID (refreshed by GET_REPORT when older than the
 * allowed age, filed from interrupt-in reports), item values with NUT's
 * conversions, SET_REPORT, and the explore dump.
 *
 * @module
 */

import type { Clock } from "../../core/runtime/clock.ts";
import type { Logger } from "../../core/runtime/logger.ts";
import type { HidHandle } from "./port.ts";
import type { HidItem, ReportDescriptor, ReportType } from "./report_descriptor.ts";
import { getLogical, readValue, setLogical, toLogical } from "./hid_value.ts";
import { pathToString, samePath, stringToPath } from "./hid_paths.ts";
import type { UsageTable } from "./usage_tables.ts";
import { bytesToHex } from "./fixture.ts";
import { g } from "./printf.ts";

interface Buffered {
  data: Uint8Array;
  ts: number;
}

/** Tweaks NUT exposes as driver flags. */
export interface SessionOptions {
  /** `maxreport`: ask for the whole buffer, not the descriptor's report size. */
  readonly maxReport: boolean;
  /** `interruptonly`: never GET_REPORT; use Input items filed from the interrupt pipe. */
  readonly interruptOnly: boolean;
  /** `interruptsize`: bytes to read from the interrupt pipe (0 = default). */
  readonly interruptSize: number;
}

/** HID access with a report buffer. */
export class HidSession {
  readonly handle: HidHandle;
  readonly desc: ReportDescriptor;
  readonly #buffers = new Map<number, Buffered>();
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #opts: SessionOptions;

  /**
   * @param handle the open device
   * @param desc its parsed descriptor (after subdriver fixes)
   * @param clock time source (buffer ages)
   * @param log debug output
   * @param opts NUT tweaks
   */
  constructor(
    handle: HidHandle,
    desc: ReportDescriptor,
    clock: Clock,
    log: Logger,
    opts: SessionOptions,
  ) {
    this.handle = handle;
    this.desc = desc;
    this.#clock = clock;
    this.#log = log;
    this.#opts = opts;
    for (const item of desc.items) {
      if (this.#buffers.has(item.reportId)) continue;
      const len = (desc.reportLength.get(item.reportId) ?? 0) + 1;
      this.#buffers.set(item.reportId, { data: new Uint8Array(len), ts: -Infinity });
    }
  }

  /** Marks every buffer old (after a SET). */
  expireAll(): void {
    for (const b of this.#buffers.values()) b.ts = -Infinity;
  }

  async #refresh(id: number, maxAgeMs: number): Promise<Buffered> {
    const buf = this.#buffers.get(id)!;
    if (this.#opts.interruptOnly || buf.ts + maxAgeMs > this.#clock.now()) {
      this.#log.debug(3, `Report[buf]: (${buf.data.length} bytes) => ${bytesToHex(buf.data)}`);
      return buf;
    }
    const ask = this.#opts.maxReport ? 256 : buf.data.length;
    const got = await this.handle.getReport(id, ask);
    if (got.length === 0) throw new Error("empty report");
    const n = Math.min(got.length, buf.data.length);
    buf.data.set(got.subarray(0, n));
    if (got.length !== buf.data.length) {
      this.#log.debug(
        2,
        `refresh_report_buffer: expected ${buf.data.length} bytes, but got ${got.length} instead`,
      );
      this.#log.debug(3, `Report[err]: (${got.length} bytes) => ${bytesToHex(got)}`);
    } else {
      this.#log.debug(3, `Report[get]: (${buf.data.length} bytes) => ${bytesToHex(buf.data)}`);
    }
    buf.ts = this.#clock.now();
    return buf;
  }

  /**
   * Reads an item's physical value (GET_REPORT when the buffer is older than maxAgeMs).
   * @param item the HID object
   * @param maxAgeMs buffer validity
   * @returns the value
   * @throws UsbError from the device
   */
  async value(item: HidItem, maxAgeMs: number): Promise<number> {
    const buf = await this.#refresh(item.reportId, maxAgeMs);
    return readValue(buf.data, item);
  }

  /**
   * Writes an item (SET_REPORT of its whole report) — constant items are refused.
   * @param item the HID object
   * @param physical the value
   * @returns false when the item is constant
   * @throws UsbError from the device
   */
  async setValue(item: HidItem, physical: number): Promise<boolean> {
    if (item.attribute === 0x01) return false;
    const buf = this.#buffers.get(item.reportId)!;
    setLogical(buf.data, item, toLogical(item, physical));
    await this.handle.setReport(item.reportId, buf.data);
    this.#log.debug(3, `Report[set]: (${buf.data.length} bytes) => ${bytesToHex(buf.data)}`);
    this.expireAll();
    return true;
  }

  /**
   * Reads one interrupt report and files it; returns the Input items it carries.
   * @param timeoutMs how long to wait
   * @returns items updated (empty on timeout)
   * @throws UsbError from the device
   */
  async events(timeoutMs: number): Promise<HidItem[]> {
    const got = await this.handle.interruptIn(this.#opts.interruptSize || 64, timeoutMs);
    if (!got || got.length === 0) return [];
    const id = got[0]!;
    const buf = this.#buffers.get(id);
    if (!buf) {
      this.#log.debug(1, "HIDGetEvents: unexpected input report (ignored)");
      return [];
    }
    buf.data.set(got.subarray(0, Math.min(got.length, buf.data.length)));
    buf.ts = this.#clock.now();
    this.#log.debug(3, `Report[int]: (${got.length} bytes) => ${bytesToHex(got)}`);
    return this.desc.items.filter((i) => i.reportId === id && i.type === "Input");
  }

  /**
   * Finds the object NUT would use for a path (Feature, or Input with `interruptonly`).
   * NUT compares only the given path's length, so a shorter path matches a longer item.
   * @param path dotted path
   * @param table usage names
   * @param type report type wanted (default per options)
   * @returns the item, or undefined
   */
  find(path: string, table: UsageTable, type?: ReportType): HidItem | undefined {
    const nodes = stringToPath(path, table);
    if (!nodes) return undefined;
    const want = type ?? (this.#opts.interruptOnly ? "Input" : "Feature");
    return this.desc.items.find((i) =>
      i.type === want && i.path.length >= nodes.length &&
      samePath(i.path.slice(0, nodes.length), nodes)
    );
  }

  /**
   * The explore dump: one NUT `Path:` line per HID object (value when readable).
   * @param table usage names
   * @param skip report IDs NUT skips for this device
   * @returns the lines
   */
  async dumpTree(
    table: UsageTable,
    skip: (item: HidItem) => boolean = () => false,
  ): Promise<string[]> {
    const lines = [`${this.desc.items.length} HID objects found`];
    for (const item of this.desc.items) {
      if (skip(item)) continue;
      const head = `Path: ${pathToString(item.path, table)}, Type: ${item.type}, ReportID: 0x${
        item.reportId.toString(16).padStart(2, "0")
      }, Offset: ${item.offset}, Size: ${item.size}`;
      try {
        lines.push(`${head}, Value: ${g(await this.value(item, 3000))}`);
      } catch (e) {
        this.#log.debug(
          1,
          `Can't retrieve Report ${item.reportId.toString(16).padStart(2, "0")}: ${
            (e as Error).message
          }`,
        );
        lines.push(head);
      }
    }
    return lines;
  }

  /** Raw logical value of an item from the buffer as it is (no I/O). */
  bufferedLogical(item: HidItem): number {
    return getLogical(this.#buffers.get(item.reportId)!.data, item);
  }
}
