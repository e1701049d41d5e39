/**
 * The real USB bus over npm:usb (node-usb 2.x legacy API: libusb device
 * list, control transfers, interrupt endpoints, hotplug events). This is
 * the only file that imports npm:usb, and it does so lazily inside
 * {@linkcode openUsbBus}, so replay runs, tests and other subcommands never
 * load the native module.
 *
 * @module
 */

import type * as UsbModule from "usb";
import {
  type HidHandle,
  type UsbCandidate,
  type UsbDeviceInfo,
  UsbError,
  type UsbErrorCode,
  type UsbPort,
} from "./port.ts";

type UsbLib = typeof UsbModule;
type Device = UsbModule.usb.Device;

const ERRORS: Readonly<Record<number, UsbErrorCode>> = {
  [-1]: "IO",
  [-3]: "ACCESS",
  [-4]: "NO_DEVICE",
  [-5]: "NOT_FOUND",
  [-6]: "BUSY",
  [-7]: "TIMEOUT",
  [-9]: "PIPE",
};

function classify(e: unknown): UsbError {
  if (e instanceof UsbError) return e;
  const errno = typeof e === "object" && e !== null && "errno" in e && typeof e.errno === "number"
    ? e.errno
    : 0;
  return new UsbError(ERRORS[errno] ?? "OTHER", e instanceof Error ? e.message : String(e), {
    cause: e,
  });
}

const pad3 = (n: number) => String(n).padStart(3, "0");

function infoOf(d: Device): UsbDeviceInfo {
  const dd = d.deviceDescriptor;
  let isHid = dd.bDeviceClass === 3;
  try {
    for (const alts of d.configDescriptor?.interfaces ?? []) {
      if (alts.some((a) => a.bInterfaceClass === 3)) isHid = true;
    }
  } catch (e) {
    // configDescriptor needs descriptor access; keep the device-class answer
    void e;
  }
  return {
    vendorId: dd.idVendor,
    productId: dd.idProduct,
    bus: pad3(d.busNumber),
    device: pad3(d.deviceAddress),
    busport: d.portNumbers?.length ? d.portNumbers.join(".") : undefined,
    bcdDevice: dd.bcdDevice,
    iManufacturer: dd.iManufacturer,
    iProduct: dd.iProduct,
    iSerialNumber: dd.iSerialNumber,
    isHid,
  };
}

function hidInterface(d: Device): { num: number; descLength: number; inEp?: UsbModule.InEndpoint } {
  const ifaces = d.interfaces ?? [];
  for (const iface of ifaces) {
    const desc = iface.descriptor;
    if (desc.bInterfaceClass !== 3) continue;
    const extra = desc.extra;
    let descLength = 0;
    for (let i = 0; i + 1 < extra.length; i += extra[i]! || 1) {
      if (extra[i + 1] === 0x21 && extra[i]! >= 9) {
        descLength = extra[i + 7]! | (extra[i + 8]! << 8);
      }
    }
    const inEp = iface.endpoints.find((e): e is UsbModule.InEndpoint =>
      e.direction === "in" && e.transferType === 3
    );
    return { num: desc.bInterfaceNumber, descLength, inEp };
  }
  throw new UsbError("NOT_FOUND", "No HID interface");
}

class LibusbHandle implements HidHandle {
  readonly info: UsbDeviceInfo;
  readonly #dev: Device;
  readonly #iface: number;
  readonly #descLength: number;
  readonly #inEp: UsbModule.InEndpoint | undefined;

  constructor(dev: Device) {
    this.#dev = dev;
    this.info = infoOf(dev);
    const h = hidInterface(dev);
    this.#iface = h.num;
    this.#descLength = h.descLength;
    this.#inEp = h.inEp;
  }

  #control(
    type: number,
    req: number,
    value: number,
    data: number | Uint8Array,
  ): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const payload = typeof data === "number" ? data : Buffer.from(data);
      this.#dev.controlTransfer(type, req, value, this.#iface, payload, (err, buf) => {
        if (err) reject(classify(err));
        else if (typeof buf === "number") resolve(new Uint8Array(buf));
        else resolve(new Uint8Array(buf ?? []));
      });
    });
  }

  reportDescriptor(): Promise<Uint8Array> {
    return this.#control(0x81, 0x06, 0x2200, this.#descLength || 4096);
  }

  getString(index: number): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      this.#dev.getStringDescriptor(index, (err, value) => {
        if (err) reject(classify(err));
        else resolve(value);
      });
    });
  }

  getReport(reportId: number, length: number): Promise<Uint8Array> {
    return this.#control(0xa1, 0x01, 0x0300 | reportId, length);
  }

  async setReport(reportId: number, data: Uint8Array): Promise<number> {
    await this.#control(0x21, 0x09, 0x0300 | reportId, data);
    return data.length;
  }

  interruptIn(length: number, timeoutMs: number): Promise<Uint8Array | null> {
    const ep = this.#inEp;
    if (!ep) return Promise.resolve(null);
    ep.timeout = timeoutMs;
    return new Promise((resolve, reject) => {
      ep.transfer(length, (err, data) => {
        if (err && err.errno === -7) resolve(null);
        else if (err) reject(classify(err));
        else resolve(new Uint8Array(data ?? []));
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      const iface = this.#dev.interface(this.#iface);
      iface.release(true, () => {
        try {
          this.#dev.close();
        } catch (e) {
          void e; // already closed or gone
        }
        resolve();
      });
    });
  }
}

function openDevice(d: Device): Promise<HidHandle> {
  try {
    d.open();
    const h = hidInterface(d);
    const iface = d.interface(h.num);
    try {
      if (iface.isKernelDriverActive()) iface.detachKernelDriver();
    } catch (e) {
      void e; // not supported on this platform
    }
    iface.claim();
    return Promise.resolve(new LibusbHandle(d));
  } catch (e) {
    try {
      d.close();
    } catch (e2) {
      void e2; // never opened
    }
    return Promise.reject(classify(e));
  }
}

class LibusbPort implements UsbPort {
  readonly name = "libusb";
  readonly #lib: UsbLib;
  readonly #listeners = new Set<(e: "attach" | "detach") => void>();
  readonly #onAttach = () => this.#emit("attach");
  readonly #onDetach = () => this.#emit("detach");
  #hooked = false;

  constructor(lib: UsbLib) {
    this.#lib = lib;
  }

  #emit(e: "attach" | "detach"): void {
    for (const l of [...this.#listeners]) l(e);
  }

  list(): Promise<UsbCandidate[]> {
    try {
      return Promise.resolve(
        this.#lib.getDeviceList().map((d) => ({ info: infoOf(d), open: () => openDevice(d) })),
      );
    } catch (e) {
      return Promise.reject(classify(e));
    }
  }

  onHotplug(listener: (e: "attach" | "detach") => void): () => void {
    this.#listeners.add(listener);
    if (!this.#hooked) {
      this.#lib.usb.on("attach", this.#onAttach);
      this.#lib.usb.on("detach", this.#onDetach);
      this.#hooked = true;
    }
    return () => this.#listeners.delete(listener);
  }

  close(): Promise<void> {
    if (this.#hooked) {
      this.#lib.usb.off("attach", this.#onAttach);
      this.#lib.usb.off("detach", this.#onDetach);
      this.#hooked = false;
    }
    this.#listeners.clear();
    return Promise.resolve();
  }
}

/**
 * Opens the real USB bus, loading npm:usb on first use.
 * @returns the bus
 * @throws UsbError when the native module cannot be loaded
 */
export async function openUsbBus(): Promise<UsbPort> {
  let lib: UsbLib;
  try {
    lib = await import("usb");
  } catch (e) {
    throw new UsbError("OTHER", `Cannot load the USB library (npm:usb): ${(e as Error).message}`, {
      cause: e,
    });
  }
  return new LibusbPort(lib);
}
