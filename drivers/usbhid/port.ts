/**
 * The USB port seam of usbhid-ups and nut-scanner: enumerate devices, read
 * descriptors and strings, open a HID interface, HID GET_REPORT/SET_REPORT,
 * interrupt-in reads, hotplug. Implemented by the real bus (usb_port.ts, the
 * only importer of npm:usb) and by recordings (replay_port.ts).
 *
 * @module
 */

/** What enumeration tells about a device (no I/O needed beyond the device descriptor). */
export interface UsbDeviceInfo {
  /** USB vendor ID. */
  readonly vendorId: number;
  /** USB product ID. */
  readonly productId: number;
  /** Bus number as NUT prints it (`"001"`). */
  readonly bus: string;
  /** Device address as NUT prints it (`"002"`). */
  readonly device: string;
  /** Port path on the bus (`"1.2"`), when known. */
  readonly busport?: string;
  /** bcdDevice (device release number). */
  readonly bcdDevice: number;
  /** String descriptor indexes from the device descriptor (0 = none). */
  readonly iManufacturer: number;
  /** String index of the product name. */
  readonly iProduct: number;
  /** String index of the serial number. */
  readonly iSerialNumber: number;
  /** HID interface class found (3) — only HID devices can be opened. */
  readonly isHid: boolean;
}

/** Why a USB operation failed, in NUT's libusb error classes. */
export type UsbErrorCode =
  | "NO_DEVICE"
  | "IO"
  | "ACCESS"
  | "BUSY"
  | "NOT_FOUND"
  | "TIMEOUT"
  | "PIPE"
  | "OTHER";

/** A USB failure with its class (the driver reconnects on NO_DEVICE/IO/ACCESS/BUSY/NOT_FOUND). */
export class UsbError extends Error {
  /** Error class. */
  readonly code: UsbErrorCode;
  /**
   * @param code error class
   * @param message text
   * @param options cause
   */
  constructor(code: UsbErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "UsbError";
    this.code = code;
  }
}

/**
 * Whether an error means the device is gone (reconnect), as NUT's walk decides.
 * @param e the error
 * @returns true for NO_DEVICE, IO, ACCESS, BUSY, NOT_FOUND
 */
export function isDisconnect(e: unknown): boolean {
  return e instanceof UsbError &&
    (e.code === "NO_DEVICE" || e.code === "IO" || e.code === "ACCESS" || e.code === "BUSY" ||
      e.code === "NOT_FOUND");
}

/** An opened HID interface. */
export interface HidHandle {
  /** The device. */
  readonly info: UsbDeviceInfo;
  /** The HID report descriptor. */
  reportDescriptor(): Promise<Uint8Array>;
  /** A string descriptor (trailing blanks kept), undefined when absent. */
  getString(index: number): Promise<string | undefined>;
  /**
   * HID GET_REPORT (Feature) — returns the bytes the device sent (first byte = report ID).
   * @param reportId report ID
   * @param length buffer size asked for (ID byte included)
   */
  getReport(reportId: number, length: number): Promise<Uint8Array>;
  /**
   * HID SET_REPORT (Feature).
   * @param reportId report ID
   * @param data the report, first byte = report ID
   * @returns bytes written
   */
  setReport(reportId: number, data: Uint8Array): Promise<number>;
  /**
   * Reads the interrupt-in endpoint.
   * @param length maximum bytes
   * @param timeoutMs how long to wait
   * @returns a report, or null on timeout
   */
  interruptIn(length: number, timeoutMs: number): Promise<Uint8Array | null>;
  /** Releases the interface and closes the device. */
  close(): Promise<void>;
}

/** An enumerated device that can be opened. */
export interface UsbCandidate {
  /** Enumeration facts. */
  readonly info: UsbDeviceInfo;
  /** Opens and claims the HID interface. */
  open(): Promise<HidHandle>;
}

/** A USB bus (real or recorded). */
export interface UsbPort {
  /** Short name for messages (`libusb`, `replay:FILE`). */
  readonly name: string;
  /** Lists present devices. */
  list(): Promise<UsbCandidate[]>;
  /**
   * Subscribes to attach/detach events (best effort; polling is the fallback).
   * @param listener called on each event
   * @returns unsubscribe
   */
  onHotplug(listener: (event: "attach" | "detach") => void): () => void;
  /** Releases the bus. */
  close(): Promise<void>;
}

/**
 * Reads all three identity strings of a device.
 * @param handle the open device
 * @returns manufacturer, product, serial (undefined when absent)
 */
export async function readIdentity(
  handle: HidHandle,
): Promise<{ vendor?: string; product?: string; serial?: string }> {
  const get = (i: number) => i > 0 ? handle.getString(i) : Promise.resolve(undefined);
  return {
    vendor: await get(handle.info.iManufacturer),
    product: await get(handle.info.iProduct),
    serial: await get(handle.info.iSerialNumber),
  };
}
