/**
 * The usbhid-ups data walk (NUT's hid_ups_walk): binds a subdriver's rows
 * to HID objects at init, reads them in init / quick / full modes, turns
 * values into NUT variables through formats, lookups and converters,
 * collects status bits and alarms, and builds `ups.status`/`ups.alarm` the
 * way NUT's ups_status_set / ups_alarm_set do. Instant commands and SET go
 * through the same rows.
 *
 * @module
 */

import type { Logger } from "../../core/runtime/logger.ts";
import type { UpsState } from "../../core/state/ups_state.ts";
import type { HidItem } from "./report_descriptor.ts";
import type { HidSession } from "./hid_session.ts";
import type { UsageTable } from "./usage_tables.ts";
import type { HidMapEntry, Lookup, SubdriverTable } from "./subdrivers/types.ts";
import { GENERIC_LOOKUPS } from "./subdrivers/generic_lookups.ts";
import { type ConvEnv, CONVERTERS, INVERSES } from "./converters.ts";
import { formatNumber, g } from "./printf.ts";
import { isDisconnect } from "./port.ts";

/** Walk modes. */
export type WalkMode = "init" | "quick" | "full";

interface Row {
  readonly entry: HidMapEntry;
  item: HidItem | undefined;
}

const has = (e: HidMapEntry, f: HidMapEntry["flags"][number]) => e.flags.includes(f);

/** The mapping engine of one device. */
export class HidMapper {
  readonly sub: SubdriverTable;
  readonly #rows: Row[];
  readonly #table: UsageTable;
  readonly #state: UpsState;
  readonly #log: Logger;
  readonly #env: ConvEnv;
  #session: HidSession;
  readonly #status = new Set<string>();
  #alarms: string[] = [];
  /** Set after instcmd/setvar so semi-static rows are read again. */
  dataHasChanged = false;
  /** `onlinedischarge`: treat OL+DISCHRG as OB. */
  onlineDischarge = false;
  readonly #unported = new Set<string>();

  /**
   * @param sub the subdriver
   * @param session the open device
   * @param table usage names of the subdriver
   * @param state where variables go
   * @param log logging
   * @param env converter environment
   */
  constructor(
    sub: SubdriverTable,
    session: HidSession,
    table: UsageTable,
    state: UpsState,
    log: Logger,
    env: ConvEnv,
  ) {
    this.sub = sub;
    this.#session = session;
    this.#table = table;
    this.#state = state;
    this.#log = log;
    this.#env = env;
    this.#rows = sub.map.map((entry) => ({ entry, item: undefined }));
  }

  /** Converters named by the table that this port does not implement (their rows are skipped). */
  get unported(): readonly string[] {
    return [...this.#unported];
  }

  /**
   * Switches to a reopened device (after a reconnect); rows stay bound by path.
   * @param session the new session
   */
  rebind(session: HidSession): void {
    this.#session = session;
    for (const r of this.#rows) {
      if (r.item && r.entry.path) r.item = session.find(r.entry.path, this.#table);
    }
  }

  #lookup(name: string): Lookup | undefined {
    return this.sub.lookups[name] ?? GENERIC_LOOKUPS[name];
  }

  async #infoval(lk: Lookup, value: number): Promise<string | null> {
    if (lk.kind === "fn") {
      const fn = CONVERTERS[lk.fn];
      if (!fn) return null;
      return await fn(value, { ...this.#env, status: this.#status });
    }
    const hit = lk.entries.find(([v]) => v === Math.trunc(value));
    return hit ? hit[1] : null;
  }

  #supported(e: HidMapEntry): boolean {
    if (!e.lkp) return true;
    const lk = this.#lookup(e.lkp);
    if (!lk) return false;
    if (lk.kind === "fn" && !CONVERTERS[lk.fn]) {
      this.#unported.add(lk.fn);
      return false;
    }
    return true;
  }

  #boolean(word: string): void {
    if (word.startsWith("!")) this.#status.delete(word.slice(1).toLowerCase());
    else this.#status.add(word.toLowerCase());
  }

  async #setValue(row: Row, value: number): Promise<boolean> {
    const e = row.entry;
    if (e.lkp) {
      const lk = this.#lookup(e.lkp);
      const text = lk ? await this.#infoval(lk, value) : null;
      if (text === null) {
        this.#log.debug(5, `Lookup [${g(value)}] failed for [${e.nut}]`);
        return false;
      }
      if (e.nut.startsWith("BOOL")) {
        this.#boolean(text);
        return false;
      }
      if (e.nut.startsWith("ups.alarm")) {
        this.#alarms.push(text);
        return false;
      }
      this.#state.setInfo(e.nut, text);
      return true;
    }
    this.#state.setInfo(e.nut, formatNumber(e.fmt ?? "%g", value));
    return true;
  }

  /**
   * One walk over the table.
   * @param mode init (bind + read all), quick (quick-poll rows), full (all but static)
   * @param maxAgeMs report buffer validity
   * @returns false when the device went away (reconnect needed)
   */
  async walk(mode: WalkMode, maxAgeMs: number): Promise<boolean> {
    if (mode === "full") this.#alarms = [];
    for (const row of this.#rows) {
      const e = row.entry;
      if (mode === "init") {
        if (row.item === undefined) {
          if (!e.path || !this.#supported(e)) continue;
          row.item = this.#session.find(e.path, this.#table);
          if (!row.item) continue;
          if (has(e, "absent")) {
            if (this.#state.getValue(e.nut) !== undefined) continue;
            this.#state.setInfo(e.nut, e.fmt ?? "");
            this.#applyFlags(e);
            continue;
          }
          if (!e.nut.startsWith("ups.alarm") && this.#state.getValue(e.nut) !== undefined) {
            row.item = undefined;
            continue;
          }
        }
      } else if (!row.item) {
        continue;
      } else if (mode === "quick") {
        if (!has(e, "quickPoll")) continue;
      } else {
        if (has(e, "absent") || has(e, "cmd") || has(e, "static")) continue;
        if (has(e, "semiStatic") && !this.dataHasChanged) continue;
      }
      const item = row.item;
      if (!item || has(e, "absent")) continue;
      let value: number;
      try {
        value = await this.#session.value(item, maxAgeMs);
      } catch (err) {
        if (isDisconnect(err)) return false;
        this.#log.debug(
          1,
          `Can't retrieve Report ${item.reportId.toString(16).padStart(2, "0")}: ${
            (err as Error).message
          }`,
        );
        continue;
      }
      this.#log.debug(
        2,
        `Path: ${e.path}, Type: ${item.type}, ReportID: 0x${
          item.reportId.toString(16).padStart(2, "0")
        }, ` +
          `Offset: ${item.offset}, Size: ${item.size}, Value: ${g(value)}`,
      );
      if (has(e, "cmd")) {
        this.#state.addCmd(e.nut);
        continue;
      }
      if (!(await this.#setValue(row, value))) continue;
      if (mode === "init") {
        this.#applyFlags(e);
        if (has(e, "enum") && has(e, "rw") && e.lkp) {
          const lk = this.#lookup(e.lkp);
          if (lk?.kind === "table") {
            for (const [, text] of lk.entries) this.#state.addEnum(e.nut, text);
          }
        }
      }
    }
    return true;
  }

  #applyFlags(e: HidMapEntry): void {
    const flags: string[] = [];
    if (has(e, "rw")) flags.push("RW");
    if (has(e, "string")) flags.push("STRING");
    if (has(e, "number")) flags.push("NUMBER");
    if (flags.length) this.#state.setFlags(e.nut, flags);
    if (has(e, "string")) this.#state.setAux(e.nut, e.len);
  }

  /**
   * Feeds an interrupt event value to the row bound to that object.
   * @param item the Input object that changed
   * @param value its value
   */
  async event(item: HidItem, value: number): Promise<void> {
    const feature =
      this.#session.desc.items.find((i) =>
        i.type === "Feature" && i.path.length === item.path.length &&
        i.path.every((n, k) => n === item.path[k])
      ) ?? item;
    const row = this.#rows.find((r) => r.item === feature && !has(r.entry, "absent"));
    if (row) await this.#setValue(row, value);
  }

  /** `ups.status` tokens from the status bits (NUT's ups_status_set), plus input.transfer.reason. */
  statusTokens(): string[] {
    const s = this.#status;
    if (s.has("vrange")) this.#state.setInfo("input.transfer.reason", "input voltage out of range");
    else if (s.has("frange")) {
      this.#state.setInfo("input.transfer.reason", "input frequency out of range");
    } else this.#state.delInfo("input.transfer.reason");
    const t: string[] = [];
    if (!s.has("online")) t.push("OB");
    else if (s.has("dischrg")) {
      if (this.onlineDischarge) t.push("OB");
      else {
        if (!s.has("cal")) {
          this.#log.warn(
            "ups_status_set: seems that UPS is in OL+DISCHRG state now. Is it calibrating or do you " +
              "perhaps want to set 'onlinedischarge' option? Some UPS models (e.g. CyberPower UT series) " +
              "emit OL+DISCHRG when offline.",
          );
        }
        t.push("OL");
      }
    } else t.push("OL");
    if (s.has("dischrg") && !s.has("depleted")) t.push("DISCHRG");
    if (s.has("chrg") && !s.has("fullycharged")) t.push("CHRG");
    if (s.has("lowbatt") || s.has("timelimitexp") || s.has("shutdownimm")) t.push("LB");
    if (s.has("overload")) t.push("OVER");
    if (s.has("replacebatt")) t.push("RB");
    if (s.has("trim")) t.push("TRIM");
    if (s.has("boost")) t.push("BOOST");
    if (s.has("bypassauto") || s.has("bypassman")) t.push("BYPASS");
    if (s.has("off")) t.push("OFF");
    if (s.has("cal")) t.push("CAL");
    return t;
  }

  /** Alarm texts: those from `ups.alarm` rows, then NUT's status-derived ones. */
  alarms(): string[] {
    const s = this.#status;
    const out = [...this.#alarms];
    const add = (bit: string, text: string) => s.has(bit) && out.push(text);
    add("replacebatt", "Replace battery!");
    add("shutdownimm", "Shutdown imminent!");
    add("fanfail", "Fan failure!");
    add("nobattery", "No battery installed!");
    add("battvoltlo", "Battery voltage too low!");
    add("battvolthi", "Battery voltage too high!");
    add("chargerfail", "Battery charger fail!");
    add("overheat", "Temperature too high!");
    add("commfault", "Internal UPS fault!");
    add("awaitingpower", "Awaiting power!");
    add("bypassauto", "Automatic bypass mode!");
    add("bypassman", "Manual bypass mode!");
    return out;
  }

  /**
   * The bound row for a NUT name (NUT's find_nut_info).
   * @param name variable or command
   * @returns the row's entry and item, or undefined
   */
  find(name: string): { entry: HidMapEntry; item: HidItem } | undefined {
    const low = name.toLowerCase();
    const r = this.#rows.find((x) => x.entry.nut.toLowerCase() === low && x.item !== undefined);
    return r && r.item ? { entry: r.entry, item: r.item } : undefined;
  }

  /**
   * Writes a NUT value through a row (lookup inverse or number), NUT's setvar/instcmd core.
   * @param entry the row
   * @param item its object
   * @param text the NUT value
   * @returns true when the device accepted it
   * @throws UsbError from the device
   */
  async write(entry: HidMapEntry, item: HidItem, text: string): Promise<boolean> {
    let value: number;
    const lk = entry.lkp ? this.#lookup(entry.lkp) : undefined;
    if (lk?.kind === "fn") {
      const inv = lk.nuf ? INVERSES[lk.nuf] : undefined;
      value = inv ? inv(text) : -1;
    } else if (lk?.kind === "table") {
      value = lk.entries.find(([, t]) => t === text)?.[0] ?? -1;
    } else {
      value = parseInt(text, 10);
      if (Number.isNaN(value)) value = 0;
    }
    const ok = await this.#session.setValue(item, value);
    if (ok) this.dataHasChanged = true;
    return ok;
  }
}
