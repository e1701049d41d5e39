/**
 * `-x record=FILE.json`: wraps a live HID handle and writes what it saw in
 * the shared fixture format (descriptor, last report per ID, strings,
 * interrupt reports), so a user can attach the file to a bug report and
 * anyone can replay it with `port = replay:FILE.json`.
 *
 * @module
 */

import type { HidHandle, UsbDeviceInfo } from "./port.ts";
import { bytesToHex } from "./fixture.ts";

const hex4 = (n: number) => n.toString(16).padStart(4, "0");

/** A handle that remembers everything it reads. */
export class RecordingHandle implements HidHandle {
  readonly info: UsbDeviceInfo;
  readonly #inner: HidHandle;
  #descriptor: Uint8Array | undefined;
  readonly #reports = new Map<number, Uint8Array>();
  readonly #errors: { reportId: number; hex: string }[] = [];
  readonly #strings = new Map<number, string>();
  readonly #interrupts: Uint8Array[] = [];

  /** @param inner the live handle */
  constructor(inner: HidHandle) {
    this.#inner = inner;
    this.info = inner.info;
  }

  async reportDescriptor(): Promise<Uint8Array> {
    const d = await this.#inner.reportDescriptor();
    this.#descriptor = d;
    return d;
  }

  async getString(index: number): Promise<string | undefined> {
    const s = await this.#inner.getString(index);
    if (s !== undefined) this.#strings.set(index, s);
    return s;
  }

  async getReport(reportId: number, length: number): Promise<Uint8Array> {
    const r = await this.#inner.getReport(reportId, length);
    if (r.length < length) this.#errors.push({ reportId, hex: bytesToHex(r) });
    this.#reports.set(reportId, r);
    return r;
  }

  setReport(reportId: number, data: Uint8Array): Promise<number> {
    return this.#inner.setReport(reportId, data);
  }

  async interruptIn(length: number, timeoutMs: number): Promise<Uint8Array | null> {
    const r = await this.#inner.interruptIn(length, timeoutMs);
    if (r && this.#interrupts.length < 1000) this.#interrupts.push(r);
    return r;
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  /**
   * The recording as a fixture object.
   * @param id file stem
   * @returns JSON-ready object
   */
  toJson(id: string): Record<string, unknown> {
    const i = this.info;
    const d = this.#descriptor;
    const reports: Record<string, string> = {};
    for (const [k, v] of [...this.#reports].sort((a, b) => a[0] - b[0])) {
      reports[`0x${k.toString(16).padStart(2, "0")}`] = bytesToHex(v);
    }
    const strings: Record<string, string> = {};
    for (const [k, v] of [...this.#strings].sort((a, b) => a[0] - b[0])) strings[String(k)] = v;
    return {
      id,
      source: ["nut usbhid-ups -x record"],
      vendorid: hex4(i.vendorId),
      productid: hex4(i.productId),
      vendor: this.#strings.get(i.iManufacturer) ?? null,
      product: this.#strings.get(i.iProduct) ?? null,
      usb_strings: {
        ...(this.#strings.has(i.iManufacturer)
          ? { iManufacturer: this.#strings.get(i.iManufacturer) }
          : {}),
        ...(this.#strings.has(i.iProduct) ? { iProduct: this.#strings.get(i.iProduct) } : {}),
        ...(this.#strings.has(i.iSerialNumber)
          ? { iSerialNumber: this.#strings.get(i.iSerialNumber) }
          : {}),
        bcdDevice: hex4(i.bcdDevice),
      },
      string_indexes: {
        iManufacturer: i.iManufacturer,
        iProduct: i.iProduct,
        iSerialNumber: i.iSerialNumber,
      },
      strings,
      bus: i.bus,
      device: i.device,
      ...(i.busport ? { busport: i.busport } : {}),
      descriptor_hex: d ? bytesToHex(d) : null,
      descriptor_length: d?.length ?? null,
      descriptor_complete: d !== undefined,
      reports,
      report_errors: this.#errors,
      interrupts: this.#interrupts.map(bytesToHex),
    };
  }
}
