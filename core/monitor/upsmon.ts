/**
 * upsmon's main loop: poll every monitored UPS through upsd, feed the
 * results to the pure reducer (transitions.ts), deliver its notifications,
 * and run the shutdown sequence (shutdown.ts) when it decides so — or when
 * asked (`upsmon -c fsd`). Connections, time and side effects are injected.
 *
 * @module
 */

import { NutError } from "../errors.ts";
import type { Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logger.ts";
import type { Notifier } from "./notify.ts";
import type { MonitorEntry, MonitorSettings } from "./settings.ts";
import { forceShutdown, type ShutdownHost, type ShutdownReport } from "./shutdown.ts";
import {
  initialState,
  type MonitorEvent,
  type MonitorState,
  newTrack,
  type Observation,
  step,
} from "./transitions.ts";

/** The subset of `NutClient` upsmon uses. */
export interface MonitorClient {
  readonly connected: boolean;
  username(name: string): Promise<void>;
  password(pw: string): Promise<void>;
  login(ups: string): Promise<void>;
  primary(ups: string): Promise<unknown>;
  getVar(ups: string, name: string): Promise<string>;
  getNumLogins(ups: string): Promise<number>;
  fsd(ups: string): Promise<void>;
  close(): void;
}

/** One MONITOR line with what is needed to reach it. */
export interface UpsmonTarget extends MonitorEntry {
  readonly upsname: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
}

/** A (re)loaded configuration. */
export interface UpsmonConfig {
  readonly targets: readonly UpsmonTarget[];
  readonly settings: MonitorSettings;
}

/** Everything the loop needs from outside. */
export interface UpsmonDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly notifier: Notifier;
  /** Opens a connection to upsd (try-TLS like NUT). */
  connect(target: UpsmonTarget): Promise<MonitorClient>;
  /** libupsclient's text for an error. */
  errorText(e: unknown): string;
  /** Whether the error is upsd's `ERR UNKNOWN-UPS`. */
  isUnknownUps(e: unknown): boolean;
  /** Host-side shutdown effects (without the UPS list). */
  readonly host: Omit<ShutdownHost, "closeSessions" | "hostSync" | "finalDelay" | "errorText">;
  /** Re-reads the configuration; undefined when it cannot be read. */
  reload?(): Promise<UpsmonConfig | undefined>;
  /**
   * Lines to log when a connection must not even be tried (NUT: CERTVERIFY
   * without CERTPATH); the UPS then counts as unreachable.
   */
  refuseConnect?(target: UpsmonTarget): readonly string[] | undefined;
}

/** How {@linkcode Upsmon.run} ended. */
export type UpsmonExit =
  | { readonly kind: "stopped" }
  | { readonly kind: "shutdown"; readonly report: ShutdownReport }
  | { readonly kind: "fatal"; readonly message: string };

interface Link {
  client: MonitorClient | undefined;
  loggedIn: boolean;
}

/**
 * The monitor.
 */
export class Upsmon {
  #targets: UpsmonTarget[];
  #settings: MonitorSettings;
  #state: MonitorState;
  readonly #links = new Map<string, Link>();
  readonly #deps: UpsmonDeps;
  #fsdRequested = false;
  #reloadRequested = false;
  #stopRequested = false;
  #wake: AbortController = new AbortController();
  #shuttingDown = false;

  /**
   * @param config MONITOR targets and settings
   * @param deps injected dependencies
   */
  constructor(config: UpsmonConfig, deps: UpsmonDeps) {
    this.#targets = [...config.targets];
    this.#settings = config.settings;
    this.#state = initialState(config.targets);
    this.#deps = deps;
  }

  /** The reducer state (for tests and the rehearsal). */
  get state(): MonitorState {
    return this.#state;
  }

  /** `upsmon -c fsd` (SIGUSR1): shut down at the next loop turn. */
  requestFsd(): void {
    if (this.#shuttingDown) return;
    this.#deps.log.info("Signal 10: User requested FSD");
    this.#fsdRequested = true;
    this.#wake.abort();
  }

  /** `upsmon -c reload` (SIGHUP). */
  requestReload(): void {
    this.#reloadRequested = true;
    this.#wake.abort();
  }

  /** `upsmon -c stop` (SIGTERM). Ignored once the shutdown sequence runs. */
  requestStop(): void {
    this.#stopRequested = true;
    if (!this.#shuttingDown) this.#wake.abort();
  }

  /**
   * Runs until stopped, or until the host shut down.
   * @returns how it ended
   */
  async run(): Promise<UpsmonExit> {
    for (let turn = 0; turn < Number.MAX_SAFE_INTEGER; turn++) {
      if (this.#stopRequested) break;
      if (this.#fsdRequested) return await this.#shutdown();
      if (this.#reloadRequested) {
        const fatal = await this.#reload();
        if (fatal) return { kind: "fatal", message: fatal };
      }
      for (const t of this.#targets) await this.#poll(t);
      const r = this.#apply({ kind: "recalc" });
      if (r.length > 0) return await this.#shutdown();
      if (this.#stopRequested) break;
      this.#wake = new AbortController();
      if (this.#fsdRequested || this.#reloadRequested) continue;
      await this.#deps.clock.sleep(this.#state.sleepval * 1000, this.#wake.signal).catch(
        (e) => {
          if (!this.#wake.signal.aborted) throw e;
        },
      );
    }
    this.closeAll();
    return { kind: "stopped" };
  }

  /** Closes every upsd session (LOGOUT). */
  closeAll(): void {
    for (const link of this.#links.values()) {
      link.client?.close();
      link.client = undefined;
      link.loggedIn = false;
    }
  }

  #apply(obs: Observation): readonly unknown[] {
    const r = step(this.#state, obs, this.#deps.clock.now(), this.#settings);
    this.#state = r.state;
    for (const e of r.events) this.#emit(e);
    return r.decisions;
  }

  #emit(e: MonitorEvent): void {
    const log = this.#deps.log;
    if (e.kind === "notify") {
      this.#deps.notifier.notify(e.type, e.system, e.extra);
    } else if (e.level === "debug") log.debug(1, e.message);
    else if (e.level === "warn") log.warn(e.message);
    else log.info(e.message);
  }

  #link(system: string): Link {
    let l = this.#links.get(system);
    if (!l) {
      l = { client: undefined, loggedIn: false };
      this.#links.set(system, l);
    }
    return l;
  }

  async #connect(t: UpsmonTarget, link: Link): Promise<boolean> {
    const { log } = this.#deps;
    log.debug(1, `Trying to connect to UPS [${t.system}]`);
    const refusal = this.#deps.refuseConnect?.(t);
    if (refusal) {
      for (const l of refusal) log.error(l);
      this.#apply({ kind: "lost", system: t.system, dropped: true });
      return false;
    }
    try {
      link.client = await this.#deps.connect(t);
    } catch (e) {
      log.error(`UPS [${t.system}]: connect failed: ${this.#deps.errorText(e)}`);
      this.#apply({ kind: "lost", system: t.system, dropped: false });
      return false;
    }
    const c = link.client;
    // Authentication failures are only logged; the session stays (NUT's do_upsd_auth)
    // and this poll is skipped; later polls reuse it without logging in again.
    // An ERR reply is logged with the raw line ("failed - got [ERR …]") except for
    // USERNAME, whose reply NUT does not check; a broken link with the library's text.
    const steps: Array<[() => Promise<unknown>, string | undefined, string]> = [
      [() => c.username(t.username), undefined, `Set username on [${t.system}] failed: `],
      [
        () => c.password(t.password),
        `Set password on [${t.system}] failed - got `,
        `Set password on [${t.system}] failed: `,
      ],
      [
        () => c.login(t.upsname),
        `Login on UPS [${t.system}] failed - got `,
        `Can't login to UPS [${t.system}]: `,
      ],
    ];
    for (const [run, onErrReply, onBrokenLink] of steps) {
      try {
        await run();
      } catch (e) {
        if (e instanceof NutError) {
          if (onErrReply === undefined) continue;
          log.error(`${onErrReply}[${e.toLine()}]`);
        } else {
          log.error(`${onBrokenLink}${this.#text(e)}`);
        }
        return false;
      }
    }
    log.debug(1, `Logged into UPS ${t.system}`);
    link.loggedIn = true;
    if (t.primary) {
      try {
        await c.primary(t.upsname);
      } catch (e) {
        log.error(`Primary managerial privileges unavailable on UPS [${t.system}]`);
        log.error(`Reason: ${this.#text(e)}`);
        return false;
      }
    }
    return true;
  }

  #text(e: unknown): string {
    return this.#deps.errorText(e);
  }

  async #poll(t: UpsmonTarget): Promise<void> {
    const link = this.#link(t.system);
    if (!link.client || !link.client.connected) {
      link.client = undefined;
      link.loggedIn = false;
      if (!(await this.#connect(t, link))) return;
    }
    const c = link.client!;
    let status: string;
    try {
      status = await c.getVar(t.upsname, "ups.status");
    } catch (e) {
      const log = this.#deps.log;
      if (this.#deps.isUnknownUps(e)) {
        log.error(
          `Poll UPS [${t.system}] failed - [${t.upsname}] does not exist on server ${t.host}`,
        );
      } else {
        log.error(`Poll UPS [${t.system}] failed - ${this.#text(e)}`);
      }
      const dropped = !c.connected;
      if (dropped) {
        log.debug(2, `Dropping connection to UPS [${t.system}]`);
        c.close();
        link.client = undefined;
        link.loggedIn = false;
      }
      this.#apply({ kind: "lost", system: t.system, dropped });
      return;
    }
    let alarm: string | undefined;
    if (status.split(" ").some((w) => w.toUpperCase() === "ALARM")) {
      alarm = await c.getVar(t.upsname, "ups.alarm").catch(() => undefined);
    }
    this.#apply(
      alarm === undefined
        ? { kind: "status", system: t.system, status }
        : { kind: "status", system: t.system, status, alarm },
    );
  }

  async #shutdown(): Promise<UpsmonExit> {
    this.#shuttingDown = true;
    const deps = this.#deps;
    const ups = this.#targets.map((t) => ({
      system: t.system,
      primary: t.primary,
      setFsd: async () => {
        const c = this.#links.get(t.system)?.client;
        if (!c || !c.connected) throw new Error("Not connected");
        await c.fsd(t.upsname);
      },
      numLogins: async () => {
        const c = this.#links.get(t.system)?.client;
        if (!c || !c.connected) throw new Error("Not connected");
        return await c.getNumLogins(t.upsname);
      },
    }));
    const report = await forceShutdown(ups, {
      ...deps.host,
      hostSync: this.#settings.hostSync,
      finalDelay: this.#settings.finalDelay,
      errorText: (e) => deps.errorText(e),
      closeSessions: () => this.closeAll(),
    }, deps);
    return { kind: "shutdown", report };
  }

  async #reload(): Promise<string | undefined> {
    this.#reloadRequested = false;
    const { log } = this.#deps;
    log.info("Reloading configuration");
    const next = await this.#deps.reload?.();
    if (!next) return undefined;
    const old = new Map(this.#targets.map((t) => [t.system, t]));
    const tracks = new Map(this.#state.ups.map((u) => [u.system, u]));
    const targets: UpsmonTarget[] = [];
    const list = [];
    for (const t of next.targets) {
      const prev = old.get(t.system);
      const track = tracks.get(t.system);
      targets.push(t);
      if (!prev || !track) {
        list.push(newTrack(t));
        continue;
      }
      if (prev.powerValue !== t.powerValue) {
        log.info(`UPS [${t.system}]: redefined power value to ${t.powerValue}`);
      }
      const link = this.#link(t.system);
      const credsChanged = prev.username !== t.username || prev.password !== t.password;
      if (credsChanged && !link.loggedIn) this.#drop(t.system, "retrying connection");
      if (!prev.primary && t.primary) {
        log.info(`UPS [${t.system}]: redefined as a primary`);
        this.#drop(t.system, undefined);
      } else if (prev.primary && !t.primary) {
        log.info(`UPS [${t.system}]: redefined as a secondary`);
      }
      list.push({ ...track, powerValue: t.powerValue, primary: t.primary });
    }
    for (const t of this.#targets) {
      if (next.targets.some((n) => n.system === t.system)) continue;
      log.info(`No longer monitoring UPS [${t.system}]`);
      this.#drop(t.system, undefined);
      this.#links.delete(t.system);
    }
    const total = next.targets.reduce((s, t) => s + t.powerValue, 0);
    if (total < next.settings.minSupplies) {
      log.error(
        `Fatal error: total power value (${total}) less than MINSUPPLIES (${next.settings.minSupplies})`,
      );
      this.closeAll();
      return "Impossible power configuration, unable to continue";
    }
    this.#targets = targets;
    this.#settings = next.settings;
    this.#state = { ...this.#state, ups: list };
    return undefined;
  }

  #drop(system: string, why: string | undefined): void {
    const link = this.#links.get(system);
    if (!link?.client) return;
    if (why) this.#deps.log.info(`UPS [${system}]: ${why}`);
    link.client.close();
    link.client = undefined;
    link.loggedIn = false;
    const list = this.#state.ups.map((u) =>
      u.system === system ? { ...u, commstate: 0 as const, linestate: 0 as const } : u
    );
    this.#state = { ...this.#state, ups: list };
  }
}
