/**
 * `NutClient`: NUT's client library (libupsclient) over an injected
 * {@linkcode Transport} — USERNAME/PASSWORD/LOGIN, PRIMARY (MASTER
 * fallback), FSD, every GET and LIST, SET VAR, INSTCMD, TRACKING — on top of
 * {@linkcode UpsConnection}'s request/reply discipline.
 *
 * @module
 */

import { escapeValue } from "../protocol/tokenize.ts";
import { UpsClientError } from "./errors.ts";
import { buildCmd, DEFAULT_READ_TIMEOUT_MS, UpsConnection } from "./connection.ts";
import { connectTcp, type Transport } from "./transport.ts";
import { DEFAULT_PORT } from "./ups_name.ts";

export { DEFAULT_READ_TIMEOUT_MS, NSS_INIT_NOTICE, UpsConnection } from "./connection.ts";

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
export class NutClient extends UpsConnection {
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
        await client.offerTls(options.onNotice);
      } catch (e) {
        options.onNotice?.(`Error while connecting to NUT server ${options.host}, disconnect`);
        client.close();
        throw e;
      }
    }
    return client;
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
}
