/**
 * `NutClient`: NUT's client library (libupsclient) over an injected
 * {@linkcode Transport}. One request at a time, replies checked the way
 * libupsclient checks them (ERR mapping, echo verification → `Protocol
 * error`), `STARTTLS` first in try-TLS mode, `LOGOUT` on close.
 *
 * @module
 */

import { NutError } from "../errors.ts";
import { replyWords, ResponseParseError } from "../protocol/response.ts";
import { escapeValue } from "../protocol/tokenize.ts";
import { UpsClientError } from "./errors.ts";
import { LineReader } from "./line_reader.ts";
import { connectTcp, strerrorOf, type Transport } from "./transport.ts";
import { DEFAULT_PORT } from "./ups_name.ts";

/** libupsclient's default per-line read timeout (DEFAULT_NETWORK_TIMEOUT). */
export const DEFAULT_READ_TIMEOUT_MS = 5000;

/** The notice Debian's NSS-based libupsclient prints when it starts TLS without a cert db. */
export const NSS_INIT_NOTICE = "Init SSL without certificate database";

/** Options for {@linkcode NutClient.connect}. */
export interface ConnectOptions {
  /** upsd host (IPv6 literal without brackets). */
  readonly host: string;
  /** upsd port (default 3493). */
  readonly port?: number;
  /** Connect timeout in ms (default: the OS's). */
  readonly timeoutMs?: number;
  /** Per-line read timeout in ms (default 5000, like libupsclient). */
  readonly readTimeoutMs?: number;
  /** Send `STARTTLS` first and fall back to clear text (libupsclient try-SSL). */
  readonly tryTls?: boolean;
  /**
   * Receives libupsclient's notice-level log lines (e.g.
   * {@linkcode NSS_INIT_NOTICE} when try-TLS starts); upsc prints them on stderr.
   */
  readonly onNotice?: (message: string) => void;
  /** Transport factory (default {@linkcode connectTcp}); tests pass an in-memory one. */
  readonly connect?: (o: { host: string; port: number; timeoutMs?: number }) => Promise<Transport>;
}

/** A variable and its value. */
export interface NameValue {
  readonly name: string;
  readonly value: string;
}

/** A `LIST UPS` row. */
export interface UpsEntry {
  readonly name: string;
  readonly desc: string;
}

/** A `LIST RANGE` row. */
export interface RangeEntry {
  readonly min: string;
  readonly max: string;
}

const encoder = new TextEncoder();

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** libupsclient's `build_cmd()`: args with a space are quoted, all escaped. */
function buildCmd(verb: string, args: readonly string[]): string {
  let line = verb;
  for (const a of args) line += a.includes(" ") ? ` "${escapeValue(a)}"` : ` ${escapeValue(a)}`;
  return line;
}

function sameWords(q: readonly string[], a: readonly string[]): boolean {
  return q.every((w, i) => w.toLowerCase() === (a[i] ?? "").toLowerCase());
}

function okTracking(line: string): string | undefined {
  const m = /^OK TRACKING (\S+)$/.exec(line);
  return m?.[1];
}

/**
 * A connection to upsd.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NutClient } from "./client.ts";
 * import { memoryPair } from "./memory.ts";
 * const [a, b] = memoryPair();
 * const server = (async () => {
 *   const buf = new Uint8Array(100);
 *   await b.read(buf);
 *   await b.write(new TextEncoder().encode('VAR ups ups.status "OL"\n'));
 * })();
 * const c = new NutClient(a);
 * assert.equal(await c.getVar("ups", "ups.status"), "OL");
 * await server;
 * c.close();
 * ```
 */
export class NutClient implements AsyncDisposable {
  #transport: Transport;
  readonly #reader: LineReader;
  readonly #readTimeoutMs: number;
  #connected = true;
  #queue: Promise<unknown> = Promise.resolve();
  /** The host this client connected to (for messages). */
  readonly host: string;
  /** The port this client connected to. */
  readonly port: number;

  /**
   * Wraps an open transport (see {@linkcode NutClient.connect} for TCP).
   * @param transport the connected transport
   * @param options host/port labels and read timeout
   */
  constructor(
    transport: Transport,
    options: { host?: string; port?: number; readTimeoutMs?: number } = {},
  ) {
    this.#transport = transport;
    this.#reader = new LineReader(transport);
    this.#readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.host = options.host ?? "";
    this.port = options.port ?? DEFAULT_PORT;
  }

  /**
   * Connects to upsd (and, with `tryTls`, offers STARTTLS first).
   * @param options host, port, timeouts, TLS mode
   * @returns the client
   * @throws UpsClientError `No such host`, `Connection failure: …`, `Server disconnected`
   */
  static async connect(options: ConnectOptions): Promise<NutClient> {
    const port = options.port ?? DEFAULT_PORT;
    const open = options.connect ?? connectTcp;
    const transport = await open(
      options.timeoutMs === undefined
        ? { host: options.host, port }
        : { host: options.host, port, timeoutMs: options.timeoutMs },
    );
    const client = new NutClient(transport, {
      host: options.host,
      port,
      readTimeoutMs: options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
    });
    if (options.tryTls) {
      try {
        await client.#tryTls(options.onNotice);
      } catch (e) {
        options.onNotice?.(`Error while connecting to NUT server ${options.host}, disconnect`);
        client.close();
        throw e;
      }
    }
    return client;
  }

  async #tryTls(onNotice: ((m: string) => void) | undefined): Promise<void> {
    onNotice?.(NSS_INIT_NOTICE);
    const reply = await this.request("STARTTLS");
    if (!reply.startsWith("OK STARTTLS")) return;
    onNotice?.(`Connecting in SSL to '${this.host}' (no certificate name specified)`);
    const upgrade = this.#transport.startTls;
    if (!upgrade) throw new UpsClientError("SSLFAIL", "SSL is not available");
    try {
      this.#transport = await upgrade.call(this.#transport, this.host);
      this.#reader.transport = this.#transport;
    } catch (e) {
      this.#drop();
      // NUT's NSS path fails here without setting an error code: "Unknown error"
      throw new UpsClientError("UNKNOWN", "Unknown error", { cause: e });
    }
  }

  /** Whether the connection is still usable. */
  get connected(): boolean {
    return this.#connected;
  }

  #drop(): void {
    this.#connected = false;
    this.#transport.close();
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.then(() => undefined, () => undefined);
    return next;
  }

  async #send(line: string): Promise<void> {
    if (!this.#connected) throw new UpsClientError("DRVNOTCONN", "Driver not connected");
    try {
      await this.#transport.write(latin1Bytes(`${line}\n`));
    } catch (e) {
      const err = new UpsClientError("WRITE", `Write error: ${strerrorOf(e)}`, { cause: e });
      throw await this.#dropAfter(err);
    }
  }

  async #read(timeoutMs = this.#readTimeoutMs): Promise<string> {
    if (!this.#connected) throw new UpsClientError("DRVNOTCONN", "Driver not connected");
    try {
      return await this.#reader.readLine(timeoutMs);
    } catch (e) {
      throw await this.#dropAfter(e);
    }
  }

  /**
   * A failed read makes libupsclient disconnect, which says LOGOUT first;
   * when that write fails too, its error replaces the read error (so a peer
   * that hung up usually shows as `Write error: Broken pipe`).
   */
  async #dropAfter(e: unknown): Promise<unknown> {
    this.#connected = false;
    const t = this.#transport;
    try {
      await t.write(encoder.encode("LOGOUT\n"));
    } catch (w) {
      if (!(w instanceof Error)) throw w;
      return new UpsClientError("WRITE", `Write error: ${strerrorOf(w)}`, { cause: e });
    } finally {
      t.close();
    }
    return e;
  }

  /**
   * Sends a raw line and returns the raw first reply line (no ERR check).
   * @param line the request without newline
   * @param timeoutMs read timeout for this reply
   * @returns the reply line without newline
   */
  request(line: string, timeoutMs?: number): Promise<string> {
    return this.#serial(async () => {
      await this.#send(line);
      return await this.#read(timeoutMs);
    });
  }

  /**
   * `upscli_sendline()`: sends one raw line. Raw: do not interleave with
   * other calls on the same client.
   * @param line the line without newline
   * @throws UpsClientError `Write error: …`, `Driver not connected`
   */
  sendLine(line: string): Promise<void> {
    return this.#serial(() => this.#send(line));
  }

  /**
   * `upscli_readline()`: reads one raw line.
   * @param timeoutMs read timeout (default the client's)
   * @returns the line without newline
   * @throws UpsClientError `Server disconnected`, `Read error: …`, `Write error: …`
   */
  readLine(timeoutMs?: number): Promise<string> {
    return this.#serial(() => this.#read(timeoutMs));
  }

  /**
   * Sends a raw line and reads a reply; `ERR` lines throw {@linkcode NutError}.
   * @param line the request
   * @returns the reply line
   */
  async command(line: string): Promise<string> {
    const reply = await this.request(line);
    const err = NutError.fromLine(reply);
    if (err) throw err;
    return reply;
  }

  #words(line: string): string[] {
    try {
      return replyWords(line);
    } catch (e) {
      if (e instanceof ResponseParseError) {
        throw new UpsClientError("PARSE", `Parse error: ${e.message}`, { cause: e });
      }
      throw e;
    }
  }

  /**
   * `upscli_get()`: `GET <query…>`, reply words checked to echo the query.
   * @param query e.g. `["VAR", "ups", "ups.status"]`
   * @returns all reply words (`["VAR", "ups", "ups.status", "OL"]`)
   * @throws NutError on `ERR`; UpsClientError `Protocol error` on a mismatch
   */
  get(query: readonly string[]): Promise<string[]> {
    return this.#serial(async () => {
      await this.#send(buildCmd("GET", query));
      const line = await this.#read();
      const err = NutError.fromLine(line);
      if (err) throw err;
      const words = this.#words(line);
      if (words.length < query.length || !sameWords(query, words)) {
        throw new UpsClientError("PROTOCOL", "Protocol error");
      }
      return words;
    });
  }

  /**
   * `upscli_list_start()`+`upscli_list_next()`: `LIST <query…>` and its rows.
   * @param query e.g. `["VAR", "ups"]`
   * @returns every row's words (each echoing the query)
   * @throws NutError on `ERR`; UpsClientError `Protocol error` on a bad block
   */
  async list(query: readonly string[]): Promise<string[][]> {
    const { rows, error } = await this.listLenient(query);
    if (error !== undefined) throw error;
    return rows;
  }

  /**
   * Like {@linkcode NutClient.list}, but a failure after `BEGIN LIST` ends
   * the list instead of throwing (NUT's clients loop on `upscli_list_next()
   * == 1` and treat a mid-list error as the end): the rows so far and the
   * error are returned.
   * @param query e.g. `["VAR", "ups"]`
   * @returns the rows read and the error that ended them early, if any
   * @throws NutError / UpsClientError when the list does not even start
   */
  listLenient(query: readonly string[]): Promise<{ rows: string[][]; error?: Error }> {
    return this.#serial(async () => {
      await this.#send(buildCmd("LIST", query));
      const first = await this.#read();
      const err = NutError.fromLine(first);
      if (err) throw err;
      const head = this.#words(first);
      if (
        head.length < 2 || head[0]!.toUpperCase() !== "BEGIN" ||
        head[1]!.toUpperCase() !== "LIST" || !sameWords(query, head.slice(2))
      ) {
        throw new UpsClientError("PROTOCOL", "Protocol error");
      }
      const rows: string[][] = [];
      try {
        for (let i = 0; i < 10_000_000; i++) {
          const line = await this.#read();
          const e = NutError.fromLine(line);
          if (e) throw e;
          const w = this.#words(line);
          if (w.length < 1) throw new UpsClientError("PROTOCOL", "Protocol error");
          if (w.length >= 2 && w[0] === "END" && w[1] === "LIST") return { rows };
          if (!sameWords(query, w)) throw new UpsClientError("PROTOCOL", "Protocol error");
          rows.push(w);
        }
        throw new UpsClientError("PROTOCOL", "Protocol error");
      } catch (e) {
        if (e instanceof NutError || e instanceof UpsClientError) return { rows, error: e };
        throw e;
      }
    });
  }

  /** Sends `USERNAME`. @param name user @throws NutError */
  async username(name: string): Promise<void> {
    await this.command(`USERNAME ${name}`);
  }

  /** Sends `PASSWORD`. @param pw password @throws NutError */
  async password(pw: string): Promise<void> {
    await this.command(`PASSWORD ${pw}`);
  }

  /** Sends `LOGIN <ups>`. @param ups UPS name @throws NutError */
  async login(ups: string): Promise<void> {
    await this.command(`LOGIN ${ups}`);
  }

  /**
   * `PRIMARY <ups>`, falling back to `MASTER <ups>` on any non-OK reply (as upsmon does).
   * @param ups UPS name
   * @returns which verb was granted
   * @throws NutError when MASTER is refused too
   */
  async primary(ups: string): Promise<"PRIMARY" | "MASTER"> {
    const reply = await this.request(`PRIMARY ${ups}`);
    if (reply.startsWith("OK")) return "PRIMARY";
    await this.command(`MASTER ${ups}`);
    return "MASTER";
  }

  /** Sends `FSD <ups>`. @param ups UPS name @throws NutError */
  async fsd(ups: string): Promise<void> {
    await this.command(`FSD ${ups}`);
  }

  /**
   * `GET VAR`.
   * @param ups UPS name
   * @param name variable
   * @returns the value
   * @throws NutError (`VAR-NOT-SUPPORTED`, `UNKNOWN-UPS`, `DATA-STALE` …)
   */
  async getVar(ups: string, name: string): Promise<string> {
    const w = await this.get(["VAR", ups, name]);
    if (w.length < 4) throw new UpsClientError("PROTOCOL", "Protocol error");
    return w[3]!;
  }

  /** `GET TYPE`. @param ups UPS @param name variable @returns type words (`RW`, `ENUM`, `STRING:32` …) */
  async getType(ups: string, name: string): Promise<string[]> {
    return (await this.get(["TYPE", ups, name])).slice(3);
  }

  /** `GET DESC`. @param ups UPS @param name variable @returns the description */
  async getDesc(ups: string, name: string): Promise<string> {
    return (await this.get(["DESC", ups, name]))[3] ?? "";
  }

  /** `GET CMDDESC`. @param ups UPS @param cmd command @returns the description */
  async getCmdDesc(ups: string, cmd: string): Promise<string> {
    return (await this.get(["CMDDESC", ups, cmd]))[3] ?? "";
  }

  /** `GET UPSDESC`. @param ups UPS @returns the description */
  async getUpsDesc(ups: string): Promise<string> {
    return (await this.get(["UPSDESC", ups]))[2] ?? "";
  }

  /** `GET NUMLOGINS`. @param ups UPS @returns the count */
  async getNumLogins(ups: string): Promise<number> {
    const n = Number((await this.get(["NUMLOGINS", ups]))[2]);
    if (!Number.isInteger(n)) throw new UpsClientError("PROTOCOL", "Protocol error");
    return n;
  }

  /** `LIST VAR`. @param ups UPS @returns variables in server order */
  async listVars(ups: string): Promise<NameValue[]> {
    return (await this.list(["VAR", ups])).map((w) => ({ name: w[2] ?? "", value: w[3] ?? "" }));
  }

  /** `LIST RW`. @param ups UPS @returns writable variables */
  async listRw(ups: string): Promise<NameValue[]> {
    return (await this.list(["RW", ups])).map((w) => ({ name: w[2] ?? "", value: w[3] ?? "" }));
  }

  /** `LIST UPS`. @returns UPS names and descriptions */
  async listUps(): Promise<UpsEntry[]> {
    return (await this.list(["UPS"])).map((w) => ({ name: w[1] ?? "", desc: w[2] ?? "" }));
  }

  /** `LIST CMD`. @param ups UPS @returns command names */
  async listCmds(ups: string): Promise<string[]> {
    return (await this.list(["CMD", ups])).map((w) => w[2] ?? "");
  }

  /** `LIST ENUM`. @param ups UPS @param name variable @returns allowed values */
  async listEnum(ups: string, name: string): Promise<string[]> {
    return (await this.list(["ENUM", ups, name])).map((w) => w[3] ?? "");
  }

  /** `LIST RANGE`. @param ups UPS @param name variable @returns ranges */
  async listRange(ups: string, name: string): Promise<RangeEntry[]> {
    return (await this.list(["RANGE", ups, name])).map((w) => ({
      min: w[3] ?? "",
      max: w[4] ?? "",
    }));
  }

  /** `LIST CLIENT`. @param ups UPS @returns client addresses */
  async listClients(ups: string): Promise<string[]> {
    return (await this.list(["CLIENT", ups])).map((w) => w[2] ?? "");
  }

  /**
   * `SET VAR <ups> <name> "<value>"` (needs USERNAME/PASSWORD first).
   * @param ups UPS
   * @param name variable
   * @param value new value
   * @returns the tracking id when tracking is on
   * @throws NutError (`ACCESS-DENIED`, `READONLY`, `INVALID-VALUE` …)
   */
  async setVar(ups: string, name: string, value: string): Promise<string | undefined> {
    return okTracking(await this.command(`SET VAR ${ups} ${name} "${escapeValue(value)}"`));
  }

  /**
   * `INSTCMD <ups> <cmd> [<param>]`.
   * @param ups UPS
   * @param cmd command
   * @param param optional parameter
   * @returns the tracking id when tracking is on
   * @throws NutError (`ACCESS-DENIED`, `CMD-NOT-SUPPORTED` …)
   */
  async instCmd(ups: string, cmd: string, param?: string): Promise<string | undefined> {
    const args = param === undefined ? [ups, cmd] : [ups, cmd, param];
    return okTracking(await this.command(buildCmd("INSTCMD", args)));
  }

  /** `SET TRACKING ON|OFF`. @param on the switch @throws NutError */
  async setTracking(on: boolean): Promise<void> {
    await this.command(`SET TRACKING ${on ? "ON" : "OFF"}`);
  }

  /**
   * `GET TRACKING [<id>]`.
   * @param id a tracking id; without it, asks whether tracking is on
   * @returns the raw answer: `ON`/`OFF`, or `PENDING`, `SUCCESS`, `ERR UNKNOWN`,
   *   `ERR INVALID-ARGUMENT`, `ERR FAILED` for an id
   */
  getTracking(id?: string): Promise<string> {
    return this.request(id === undefined ? "GET TRACKING" : `GET TRACKING ${id}`);
  }

  /** Sends `LOGOUT`, reads `OK Goodbye`, closes. */
  async logout(): Promise<void> {
    try {
      await this.request("LOGOUT");
    } finally {
      this.#drop();
    }
  }

  /** Like `upscli_disconnect()`: sends `LOGOUT` without reading the reply, closes. */
  close(): void {
    if (!this.#connected) return;
    this.#connected = false;
    const t = this.#transport;
    t.write(encoder.encode("LOGOUT\n")).then(() => t.close(), () => t.close());
  }

  /** Closes (sends LOGOUT) when leaving an `await using` block. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#connected) return;
    this.#connected = false;
    const t = this.#transport;
    try {
      await t.write(encoder.encode("LOGOUT\n"));
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // the peer is gone; nothing left to say goodbye to
    } finally {
      t.close();
    }
  }
}
