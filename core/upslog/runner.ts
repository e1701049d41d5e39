/**
 * upslog's main loop, as NUT 2.8.0 runs it: sample every `interval`
 * seconds on a fixed schedule, a signal cuts the sleep short (SIGUSR1 = a
 * line now, SIGHUP = reopen the logs first, SIGTERM = one last line then
 * exit), reconnect when the connection is gone (clear text), and when the
 * data cannot be had the line still goes out, with `NA` for each value.
 * Files, signals and sockets are injected.
 *
 * @module
 */

import type { Clock } from "../runtime/clock.ts";
import type { Logger } from "../runtime/logger.ts";
import type { NutClient } from "../client/client.ts";
import { clientErrorText, UpsClientError } from "../client/errors.ts";
import { NutError } from "../errors.ts";
import { type ExpandContext, expandLine, formatVars, type Segment } from "./format.ts";
import { csvHeader, csvRow, jsonRecord, type RecordStyle } from "./records.ts";

/** Where one UPS's lines go. */
export interface LogSink {
  /** Appends one complete line (newline included) in a single write. */
  write(line: string): Promise<void>;
  /** Reopens the destination (logrotate); resolves true when it is new/empty. */
  reopen(): Promise<boolean>;
  /** Whether the destination was empty when opened (CSV writes a header then). */
  readonly startedEmpty: boolean;
}

/** One monitored UPS. */
export interface LogTarget {
  /** The `<ups>` text as given (`%UPSHOST%`). */
  readonly monhost: string;
  readonly ups: string;
  readonly host: string;
  readonly port: number;
  readonly sink: LogSink;
  /** The connection, when there is one. */
  client?: NutClient | undefined;
  /** Why the last connect failed. */
  lastError?: string | undefined;
  /** Whether this sink still needs a CSV header. */
  needsHeader?: boolean;
}

/** Opens a connection (`tryTls` only for the initial one, like NUT). */
export type Connector = (host: string, port: number, tryTls: boolean) => Promise<NutClient>;

/** Options for {@linkcode UpsLogRunner}. */
export interface UpsLogOptions {
  readonly targets: LogTarget[];
  readonly segments: readonly Segment[];
  /** Seconds between samples (NUT: `atoi(-i)`, default 30). */
  readonly interval: number;
  readonly style: RecordStyle;
  readonly clock: Clock;
  readonly connect: Connector;
  /** Log lines (`Signal 1: reopening log file` …) — stderr in the foreground. */
  readonly logger: Logger;
  readonly hostname: string;
  readonly pid: number;
  /** IANA zone for `%TIME%`; default local. */
  readonly timeZone?: string;
}

const SIG_NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGUSR1: 10,
  SIGTERM: 15,
};

/** The sampling loop. */
export class UpsLogRunner {
  readonly #o: UpsLogOptions;
  #reopenSignal = 0;
  #exitSignal = 0;
  #wake: AbortController = new AbortController();

  /** @param options targets, format, interval and injected services */
  constructor(options: UpsLogOptions) {
    this.#o = options;
    for (const t of options.targets) t.needsHeader = options.style === "csv" && t.sink.startedEmpty;
  }

  /**
   * Delivers a signal: SIGHUP reopens logs, SIGUSR1 samples now,
   * SIGINT/SIGQUIT/SIGTERM end the loop (after one last sample, as NUT does).
   * @param signal the signal name
   */
  signal(signal: "SIGHUP" | "SIGUSR1" | "SIGINT" | "SIGQUIT" | "SIGTERM"): void {
    const n = SIG_NUMBERS[signal] ?? 0;
    if (signal === "SIGHUP") this.#reopenSignal = n;
    else if (signal !== "SIGUSR1") this.#exitSignal = n;
    this.#wake.abort();
  }

  /**
   * The first connection to every target (try-TLS), as NUT makes it before
   * backgrounding.
   * @returns warnings to print (`Warning: initial connect failed: …`)
   */
  async connectAll(): Promise<string[]> {
    const warnings: string[] = [];
    for (const t of this.#o.targets) {
      try {
        t.client = await this.#o.connect(t.host, t.port, true);
        t.lastError = undefined;
      } catch (e) {
        if (!(e instanceof UpsClientError || e instanceof NutError)) throw e;
        t.lastError = clientErrorText(e);
        warnings.push(`Warning: initial connect failed: ${t.lastError}`);
      }
    }
    return warnings;
  }

  async #sampleTarget(t: LogTarget): Promise<void> {
    if (!t.client?.connected) {
      try {
        t.client = await this.#o.connect(t.host, t.port, false);
        t.lastError = undefined;
      } catch (e) {
        if (!(e instanceof UpsClientError || e instanceof NutError)) throw e;
        t.client = undefined;
        t.lastError = clientErrorText(e);
      }
    }
    const values = new Map<string, string>();
    let error = t.lastError;
    for (const name of formatVars(this.#o.segments)) {
      if (values.has(name)) continue;
      if (!t.client?.connected) {
        error ??= "Driver not connected";
        continue;
      }
      try {
        const w = await t.client.get(["VAR", t.ups, name]);
        if (w[3] !== undefined) values.set(name, w[3]);
      } catch (e) {
        if (!(e instanceof UpsClientError || e instanceof NutError)) throw e;
        if (e instanceof UpsClientError) error = clientErrorText(e);
      }
    }
    const ctx: ExpandContext = {
      hostname: this.#o.hostname,
      upsHost: t.monhost,
      pid: this.#o.pid,
      now: new Date(this.#o.clock.now()),
      values,
      ...(this.#o.timeZone === undefined ? {} : { timeZone: this.#o.timeZone }),
    };
    let text: string;
    if (this.#o.style === "csv") {
      text = `${csvRow(this.#o.segments, ctx)}\n`;
      if (t.needsHeader) text = `${csvHeader(this.#o.segments)}\n${text}`;
      t.needsHeader = false;
    } else if (this.#o.style === "json") {
      text = `${jsonRecord(this.#o.segments, ctx, error)}\n`;
    } else {
      text = `${expandLine(this.#o.segments, ctx)}\n`;
    }
    try {
      await t.sink.write(text);
    } catch (e) {
      // like NUT's unchecked fprintf: the next sample tries again
      if (!(e instanceof Error)) throw e;
      this.#o.logger.error(`could not write to the log of ${t.monhost}: ${e.message}`);
    }
    if (this.#o.interval > 30) this.#disconnect(t);
  }

  #disconnect(t: LogTarget): void {
    t.client?.close();
    t.client = undefined;
  }

  /**
   * Writes exactly one line per target (cron mode).
   */
  async sampleOnce(): Promise<void> {
    for (const t of this.#o.targets) await this.#sampleTarget(t);
  }

  /**
   * Runs until a terminating signal (or `abort`).
   * @param abort optional external stop
   * @returns the signal number that ended it (0 when aborted)
   */
  async run(abort?: AbortSignal): Promise<number> {
    const { clock, interval } = this.#o;
    let nextpoll = 0;
    abort?.addEventListener("abort", () => this.#wake.abort(), { once: true });
    for (let guard = 0; guard < Number.MAX_SAFE_INTEGER; guard++) {
      if (this.#exitSignal !== 0 || abort?.aborted) break;
      const now = Math.floor(clock.now() / 1000);
      if (nextpoll > now) {
        await this.#sleep((nextpoll - now) * 1000);
        nextpoll += interval;
      } else {
        nextpoll = now + interval;
      }
      if (abort?.aborted) break;
      if (this.#reopenSignal !== 0) {
        this.#o.logger.info(`Signal ${this.#reopenSignal}: reopening log file`);
        this.#reopenSignal = 0;
        for (const t of this.#o.targets) {
          const fresh = await t.sink.reopen();
          if (fresh && this.#o.style === "csv") t.needsHeader = true;
        }
      }
      for (const t of this.#o.targets) await this.#sampleTarget(t);
    }
    if (this.#exitSignal !== 0) this.#o.logger.info(`Signal ${this.#exitSignal}: exiting`);
    for (const t of this.#o.targets) this.#disconnect(t);
    return this.#exitSignal;
  }

  async #sleep(ms: number): Promise<void> {
    if (this.#wake.signal.aborted) {
      // a signal came while sampling: act on it now rather than lose it
      this.#wake = new AbortController();
      return;
    }
    try {
      await this.#o.clock.sleep(ms, this.#wake.signal);
    } catch (e) {
      if (!this.#wake.signal.aborted) throw e;
    } finally {
      if (this.#wake.signal.aborted) this.#wake = new AbortController();
    }
  }
}
