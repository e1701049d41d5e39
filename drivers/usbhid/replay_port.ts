/**
 * A USB bus made of recordings: each fixture is one HID device that answers
 * GET_REPORT from its recorded buffers, SET_REPORT by updating them, and
 * string requests from its strings. Presence is a function, so a test can
 * unplug and replug the device; `replay:FILE.json` ties presence to the
 * file's existence (move the file away = unplug).
 *
 * @module
 */

import type { HidFixture } from "./fixture.ts";
import {
  type HidHandle,
  type UsbCandidate,
  type UsbDeviceInfo,
  UsbError,
  type UsbPort,
} from "./port.ts";

/** One replayed device: its fixture and a presence switch. */
export interface ReplayDevice {
  /** The recording (re-read on attach for file-backed devices). */
  fixture(): HidFixture | undefined;
  /** Whether the device is plugged in now. */
  present(): boolean;
}

function infoOf(f: HidFixture): UsbDeviceInfo {
  return {
    vendorId: f.vendorId ?? 0,
    productId: f.productId ?? 0,
    bus: f.bus,
    device: f.device,
    busport: typeof f.raw.busport === "string" ? f.raw.busport : undefined,
    bcdDevice: parseInt(f.usbStrings.bcdDevice ?? "0", 16) || 0,
    iManufacturer: f.stringIndexes.iManufacturer,
    iProduct: f.stringIndexes.iProduct,
    iSerialNumber: f.stringIndexes.iSerialNumber,
    isHid: f.descriptor !== null,
  };
}

class ReplayHandle implements HidHandle {
  readonly info: UsbDeviceInfo;
  readonly #fixture: HidFixture;
  readonly #device: ReplayDevice;
  readonly #reports: Map<number, Uint8Array>;
  #interrupt = 0;
  #closed = false;

  constructor(fixture: HidFixture, device: ReplayDevice, reports: Map<number, Uint8Array>) {
    this.#fixture = fixture;
    this.#device = device;
    this.info = infoOf(fixture);
    this.#reports = reports;
  }

  #check(): void {
    if (this.#closed) throw new UsbError("NO_DEVICE", "Device closed");
    if (!this.#device.present()) {
      throw new UsbError("NO_DEVICE", "No such device (it may have been disconnected)");
    }
  }

  reportDescriptor(): Promise<Uint8Array> {
    this.#check();
    const d = this.#fixture.descriptor;
    if (!d) {
      return Promise.reject(new UsbError("PIPE", "Recording has no complete report descriptor"));
    }
    return Promise.resolve(new Uint8Array(d));
  }

  getString(index: number): Promise<string | undefined> {
    this.#check();
    return Promise.resolve(this.#fixture.strings.get(index));
  }

  getReport(reportId: number, _length: number): Promise<Uint8Array> {
    this.#check();
    const r = this.#reports.get(reportId);
    if (!r) {
      return Promise.reject(
        new UsbError("PIPE", `Pipe error (report 0x${reportId.toString(16)} not recorded)`),
      );
    }
    return Promise.resolve(new Uint8Array(r));
  }

  setReport(reportId: number, data: Uint8Array): Promise<number> {
    this.#check();
    this.#reports.set(reportId, new Uint8Array(data));
    return Promise.resolve(data.length);
  }

  interruptIn(_length: number, _timeoutMs: number): Promise<Uint8Array | null> {
    this.#check();
    const list = this.#fixture.interrupts;
    if (this.#interrupt >= list.length) return Promise.resolve(null);
    return Promise.resolve(new Uint8Array(list[this.#interrupt++]!));
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }
}

/** A bus of replayed devices. */
export class ReplayPort implements UsbPort {
  readonly name: string;
  readonly #devices: readonly ReplayDevice[];
  readonly #listeners = new Set<(e: "attach" | "detach") => void>();
  readonly #state = new Map<
    ReplayDevice,
    { fixture: HidFixture; reports: Map<number, Uint8Array> }
  >();

  /**
   * @param devices the devices on this bus
   * @param name name for messages
   */
  constructor(devices: readonly ReplayDevice[], name = "replay") {
    this.#devices = devices;
    this.name = name;
  }

  list(): Promise<UsbCandidate[]> {
    const out: UsbCandidate[] = [];
    for (const d of this.#devices) {
      if (!d.present()) continue;
      const f = d.fixture();
      if (!f) continue;
      out.push({
        info: infoOf(f),
        open: () => Promise.resolve(new ReplayHandle(f, d, this.reports(d, f))),
      });
    }
    return Promise.resolve(out);
  }

  /**
   * The device's current report buffers (recorded values, then whatever SET_REPORT wrote);
   * they survive unplug/replug like a real device's settings.
   * @param device the device
   * @param fixture its current recording (a new recording resets the state)
   * @returns the live map
   */
  reports(
    device: ReplayDevice,
    fixture: HidFixture | undefined = device.fixture(),
  ): Map<number, Uint8Array> {
    const st = this.#state.get(device);
    if (st && st.fixture === fixture) return st.reports;
    const reports = new Map([...(fixture?.reports ?? [])].map(([k, v]) => [k, new Uint8Array(v)]));
    if (fixture) this.#state.set(device, { fixture, reports });
    return reports;
  }

  onHotplug(listener: (e: "attach" | "detach") => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Announces an attach/detach to hotplug listeners (tests call it after flipping presence).
   * @param event the event
   */
  notify(event: "attach" | "detach"): void {
    for (const l of [...this.#listeners]) l(event);
  }

  close(): Promise<void> {
    this.#listeners.clear();
    return Promise.resolve();
  }
}

/** A device whose presence a test switches by hand. */
export class SwitchableDevice implements ReplayDevice {
  #present = true;
  readonly #fixture: HidFixture;

  /** @param fixture the recording */
  constructor(fixture: HidFixture) {
    this.#fixture = fixture;
  }

  fixture(): HidFixture {
    return this.#fixture;
  }

  present(): boolean {
    return this.#present;
  }

  /** Unplugs the device. */
  unplug(): void {
    this.#present = false;
  }

  /** Plugs it back in. */
  replug(): void {
    this.#present = true;
  }
}
