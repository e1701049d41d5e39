/**
 * usbhid-ups: the USB HID Power Device driver on the driver framework.
 * Opens the first matching device (regex matcher + subdriver claim), parses
 * its report descriptor, publishes the subdriver's variables, and polls
 * (interrupt pipe + quick/full walks every pollinterval/pollfreq).
 * Self-healing: on detach or an I/O error it marks the data stale, sets
 * `driver.state` to `reconnect.trying` and reopens the device by itself on
 * a hotplug attach or on a backoff timer — no restart.
 *
 * @module
 */

import type { Driver, DriverContext, DriverModule, TrackingResult } from "../framework/driver.ts";
import { DriverFatal } from "../framework/driver.ts";
import { type HidHandle, isDisconnect, readIdentity, type UsbPort } from "./port.ts";
import { parseReportDescriptor } from "./report_descriptor.ts";
import { HidSession } from "./hid_session.ts";
import { HidMapper } from "./mapping.ts";
import { usageTable } from "./usage_tables.ts";
import { claimSubdriver, type MatchOptions, possiblySupported, regexMatcher } from "./match.ts";
import { fixReportDescriptor, formatIdentity, runDeviceHook } from "./fixes.ts";
import { openPortFor } from "./open_port.ts";
import { RecordingHandle } from "./record.ts";
import { USBHID_INFO } from "./usbhid_info.ts";
import { runInstcmd, runSetvar, runShutdown } from "./usbhid_commands.ts";
import type { SubdriverTable } from "./subdrivers/types.ts";

/** Opens the bus for a `port` value (injectable for tests). */
export type PortOpener = (port: string, confPath: string) => Promise<UsbPort>;

interface Opened {
  handle: HidHandle;
  session: HidSession;
  sub: SubdriverTable;
  ids: { vendor?: string; product?: string; serial?: string };
}

const MATCH_KEYS = [
  "vendorid",
  "productid",
  "vendor",
  "product",
  "serial",
  "bus",
  "device",
  "busport",
] as const;
const BACKOFF_MAX_MS = 30_000;

/** The driver instance. */
export class UsbhidDriver implements Driver {
  readonly #openPort: PortOpener;
  #port: UsbPort | undefined;
  #opened: Opened | undefined;
  #mapper: HidMapper | undefined;
  #identity: { vendorId: number; productId: number; ids: Opened["ids"] } | undefined;
  #recording: { file: string; handle: RecordingHandle } | undefined;
  #lastPoll = 0;
  #pollFreqMs = 30_000;
  #useInterrupt = true;
  #nextAttempt = 0;
  #backoffMs = 0;
  #attachSeen = false;
  #unsubscribe: (() => void) | undefined;
  readonly scratch = new Map<string, number>();

  /** @param openPort how to open the bus (default: replay files or npm:usb) */
  constructor(openPort: PortOpener = openPortFor) {
    this.#openPort = openPort;
  }

  /** The mapping engine (for commands). */
  get mapper(): HidMapper | undefined {
    return this.#mapper;
  }

  /** Whether a device is currently open. */
  get connected(): boolean {
    return this.#opened !== undefined;
  }

  #sessionOpts(ctx: DriverContext) {
    const size = parseInt(ctx.options.get("interruptsize") ?? "0", 10);
    return {
      maxReport: ctx.options.has("maxreport"),
      interruptOnly: ctx.options.has("interruptonly"),
      interruptSize: Number.isFinite(size) ? size : 0,
    };
  }

  async #open(ctx: DriverContext, first: boolean): Promise<Opened | undefined> {
    const port = this.#port!;
    const opts: MatchOptions = {};
    for (const k of MATCH_KEYS) {
      const v = ctx.options.get(k);
      if (v !== undefined) opts[k] = v;
    }
    let matcher;
    try {
      matcher = regexMatcher(opts);
    } catch (e) {
      throw new DriverFatal((e as Error).message);
    }
    const candidates = await port.list();
    if (candidates.length === 0 && first && port.name === "libusb") {
      ctx.log.info("libusb1: Could not open any HID devices: no USB buses found");
    }
    for (const c of candidates) {
      const info = c.info;
      const tag = `${info.vendorId.toString(16).toUpperCase().padStart(4, "0")}/${
        info.productId.toString(16).toUpperCase().padStart(4, "0")
      }`;
      ctx.log.debug(2, `Checking device (${tag}) (${info.bus}/${info.device})`);
      if (!info.isHid) continue;
      if (
        this.#identity &&
        (info.vendorId !== this.#identity.vendorId || info.productId !== this.#identity.productId)
      ) {
        continue;
      }
      let handle: HidHandle;
      try {
        handle = await c.open();
      } catch (e) {
        ctx.log.debug(2, `Failed to open device (${tag}), skipping: ${(e as Error).message}`);
        continue;
      }
      try {
        const ids = await readIdentity(handle);
        const target = { ...info, ...ids };
        if (!matcher(target)) throw new Error("does not match");
        if (this.#identity) {
          const want = this.#identity.ids;
          if (
            want.vendor !== ids.vendor || want.product !== ids.product || want.serial !== ids.serial
          ) {
            throw new Error("not the same device");
          }
        }
        const claim = claimSubdriver(info.vendorId, info.productId, {
          explore: ctx.options.has("explore"),
          productIdGiven: ctx.options.get("productid") !== undefined,
          subdriver: ctx.options.get("subdriver"),
        });
        if (claim.kind === "possibly" && first) {
          ctx.log.info(possiblySupported(claim.vendor, info.vendorId, info.productId));
        }
        if (claim.kind !== "claimed") throw new Error("Manufacturer not supported!");
        let use: HidHandle = handle;
        const rec = ctx.options.get("record");
        if (rec !== undefined && first) {
          const r = new RecordingHandle(handle);
          this.#recording = { file: rec, handle: r };
          use = r;
          await readIdentity(use);
        }
        const bytes = await use.reportDescriptor();
        ctx.log.debug(2, `Report Descriptor size = ${bytes.length}`);
        const parsed = parseReportDescriptor(bytes);
        for (const w of parsed.warnings) ctx.log.warn(w);
        if (parsed.items.length === 0) throw new Error("Failed to parse report descriptor!");
        const { desc, fixed } = fixReportDescriptor(
          claim.sub,
          info.vendorId,
          info.productId,
          parsed,
        );
        if (first) ctx.log.info(`Using subdriver: ${claim.sub.name}`);
        if (fixed) ctx.log.debug(2, "Report Descriptor Fixed");
        const session = new HidSession(use, desc, ctx.clock, ctx.log, this.#sessionOpts(ctx));
        runDeviceHook(
          claim.sub.devices.find((d) =>
            d.vendorId === info.vendorId && d.productId === info.productId
          )?.hook ?? null,
          this.scratch,
          info.productId,
        );
        return { handle: use, session, sub: claim.sub, ids };
      } catch (e) {
        ctx.log.debug(2, `Device ${tag} skipped: ${(e as Error).message}`);
        await handle.close();
        if (isDisconnect(e)) continue;
      }
    }
    return undefined;
  }

  async init(ctx: DriverContext): Promise<void> {
    const portName = ctx.options.port ?? "auto";
    if (ctx.options.has("explore") && ctx.options.get("vendorid") === undefined) {
      throw new DriverFatal('must specify "vendorid" when using "explore"');
    }
    ctx.log.debug(1, "upsdrv_initups (non-SHUT)...");
    this.#port = await this.#openPort(portName, ctx.paths.confPath);
    const opened = await this.#open(ctx, true);
    if (!opened) throw new DriverFatal("No matching HID UPS found");
    this.#opened = opened;
    const { session, sub, ids } = opened;
    const info = opened.handle.info;
    this.#identity = { vendorId: info.vendorId, productId: info.productId, ids };
    const table = usageTable(sub.usages);
    if (ctx.log.level >= 1) {
      const skip = (i: { reportId: number }) =>
        (info.vendorId === 0x0463 || info.vendorId === 0x047c) &&
        (i.reportId === 254 || i.reportId === 255);
      for (const line of await session.dumpTree(table, skip)) ctx.log.debug(1, line);
    }
    const st = ctx.state;
    const fmt = formatIdentity(sub, ids);
    for (
      const [k, v] of [["ups.mfr", fmt.mfr], ["ups.model", fmt.model], [
        "ups.serial",
        fmt.serial,
      ]] as const
    ) {
      if (v !== undefined) st.setInfo(k, v);
      else st.delInfo(k);
    }
    for (const [k, v] of fmt.extra) st.setInfo(k, v);
    st.setInfo("ups.vendorid", info.vendorId.toString(16).padStart(4, "0"));
    st.setInfo("ups.productid", info.productId.toString(16).padStart(4, "0"));
    const mapper = new HidMapper(sub, session, table, st, ctx.log, {
      getString: (i) =>
        this.#opened ? this.#opened.handle.getString(i) : Promise.resolve(undefined),
      getInfo: (n) => st.getValue(n),
      scratch: this.scratch,
      productId: info.productId,
    });
    mapper.onlineDischarge = ctx.options.has("onlinedischarge");
    this.#mapper = mapper;
    if (!(await mapper.walk("init", 3000))) {
      throw new DriverFatal("Can't initialize data from HID UPS");
    }
    for (const n of mapper.unported) {
      ctx.log.debug(1, `conversion ${n} is not ported; its variables are skipped`);
    }
    const override = (opt: string, name: string) => {
      const v = ctx.options.get(opt);
      if (v !== undefined && st.getValue(name) !== undefined) {
        st.setInfo(name, String(parseInt(v, 10) || 0));
      }
    };
    override("lowbatt", "battery.charge.low");
    override("ondelay", "ups.delay.start");
    override("offdelay", "ups.delay.shutdown");
    if (mapper.find("load.off.delay")) st.addCmd("load.off");
    if (mapper.find("load.on.delay")) st.addCmd("load.on");
    if (mapper.find("load.off.delay") && mapper.find("load.on.delay")) {
      st.addCmd("shutdown.return");
      st.addCmd("shutdown.stayoff");
    }
    // upsdrv_initinfo
    st.setInfo("driver.version.data", sub.name);
    const pf = ctx.options.get("pollfreq");
    const pollfreq = pf !== undefined ? parseInt(pf, 10) || 0 : 30;
    this.#pollFreqMs = pollfreq * 1000;
    st.setInfo("driver.parameter.pollfreq", String(pollfreq));
    this.#useInterrupt = !ctx.options.has("pollonly");
    this.#lastPoll = ctx.clock.now();
    this.#unsubscribe = this.#port.onHotplug((ev) => {
      if (ev === "attach") this.#attachSeen = true;
    });
    await this.#saveRecording(ctx);
  }

  async #saveRecording(ctx: DriverContext): Promise<void> {
    const rec = this.#recording;
    if (!rec) return;
    const id = rec.file.replace(/^.*\//, "").replace(/\.json$/, "");
    try {
      await Deno.writeTextFile(rec.file, JSON.stringify(rec.handle.toJson(id), null, 1) + "\n");
    } catch (e) {
      ctx.log.error(`Cannot write the USB recording ${rec.file}: ${(e as Error).message}`);
    }
  }

  #lost(ctx: DriverContext, why: string): void {
    if (!this.#opened) return;
    ctx.log.info(`USB device lost (${why}); data stale, reconnecting`);
    const h = this.#opened.handle;
    this.#opened = undefined;
    void h.close().catch((e) => ctx.log.debug(2, `close after loss: ${(e as Error).message}`));
    ctx.state.setInfo("driver.state", "reconnect.trying");
    ctx.dataStale();
    this.#backoffMs = 0;
    this.#nextAttempt = 0;
  }

  async #reconnect(ctx: DriverContext): Promise<boolean> {
    const now = ctx.clock.now();
    if (!this.#attachSeen && now < this.#nextAttempt) return false;
    this.#attachSeen = false;
    ctx.log.debug(1, "Got to reconnect!");
    let opened: Opened | undefined;
    try {
      opened = await this.#open(ctx, false);
    } catch (e) {
      if (e instanceof DriverFatal) throw e;
      ctx.log.debug(1, `reconnect failed: ${(e as Error).message}`);
    }
    if (!opened) {
      this.#backoffMs = Math.min(BACKOFF_MAX_MS, Math.max(1000, this.#backoffMs * 2));
      this.#nextAttempt = now + this.#backoffMs;
      ctx.state.setInfo("driver.state", "reconnect.trying");
      ctx.dataStale();
      return false;
    }
    this.#opened = opened;
    ctx.state.setInfo("driver.state", "reconnect.updateinfo");
    this.#mapper!.rebind(opened.session);
    if (!(await this.#mapper!.walk("init", 0))) {
      this.#lost(ctx, "I/O error during re-initialisation");
      return false;
    }
    ctx.log.info("USB device reconnected");
    this.#lastPoll = 0;
    return true;
  }

  async update(ctx: DriverContext): Promise<void> {
    ctx.log.debug(1, "upsdrv_updateinfo...");
    if (!this.#opened && !(await this.#reconnect(ctx))) return;
    const opened = this.#opened!;
    const mapper = this.#mapper!;
    const maxAge = ctx.options.pollInterval * 1000;
    if (this.#useInterrupt) {
      try {
        const items = await opened.session.events(750);
        for (const item of items) {
          await mapper.event(item, await opened.session.value(item, maxAge));
        }
      } catch (e) {
        if (isDisconnect(e)) return this.#lost(ctx, (e as Error).message);
        ctx.log.debug(1, `interrupt read: ${(e as Error).message}`);
      }
    }
    const now = ctx.clock.now();
    let ok: boolean;
    if (now > this.#lastPoll + this.#pollFreqMs || mapper.dataHasChanged) {
      ctx.log.debug(1, "Full update...");
      ok = await mapper.walk("full", maxAge);
      if (ok) {
        this.#lastPoll = now;
        mapper.dataHasChanged = false;
      }
    } else {
      ctx.log.debug(1, "Quick update...");
      ok = await mapper.walk("quick", maxAge);
    }
    if (!ok) return this.#lost(ctx, "I/O error");
    const alarms = mapper.alarms();
    const tokens = mapper.statusTokens();
    if (alarms.length) ctx.state.setInfo("ups.alarm", alarms.join(" "));
    else ctx.state.delInfo("ups.alarm");
    ctx.state.setInfo("ups.status", (alarms.length ? "ALARM " : "") + tokens.join(" "));
    if (
      ctx.state.getValue("driver.state") !== undefined &&
      ctx.state.getValue("driver.state") !== "updateinfo"
    ) {
      ctx.state.setInfo("driver.state", "updateinfo");
    }
    ctx.dataOk();
    await this.#saveRecording(ctx);
  }

  instcmd(ctx: DriverContext, cmd: string, param?: string): Promise<TrackingResult> {
    return runInstcmd(this, ctx, cmd, param);
  }

  setvar(ctx: DriverContext, name: string, value: string): Promise<TrackingResult> {
    return runSetvar(this, ctx, name, value);
  }

  async shutdown(ctx: DriverContext): Promise<void> {
    // NUT opens the device (upsdrv_initups) before -k runs upsdrv_shutdown.
    if (!this.#mapper) await this.init(ctx);
    await runShutdown(this, ctx);
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    const o = this.#opened;
    this.#opened = undefined;
    if (o) await o.handle.close();
    await this.#port?.close();
  }
}

/**
 * The usbhid-ups driver module.
 * @param openPort bus opener (tests inject replay buses)
 * @returns the module for the driver table
 */
export function usbhidModule(openPort?: PortOpener): DriverModule {
  return { info: USBHID_INFO, create: () => new UsbhidDriver(openPort) };
}

/** usbhid-ups with the default bus opener (replay files or npm:usb). */
export const usbhidUps: DriverModule = usbhidModule();
