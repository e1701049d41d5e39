/**
 * dummy-ups repeater mode: `port = ups@host[:port]`. Each update lists the
 * upstream UPS's variables and copies every one not starting with
 * `driver.`; on failure it reconnects (NUT 2.8.0 keeps serving the last
 * data and does not declare the data stale).
 *
 * @module
 */

import { NutClient } from "../../core/client/client.ts";
import { clientErrorText } from "../../core/client/errors.ts";
import { splitName, type UpsName } from "../../core/client/ups_name.ts";
import { NutError } from "../../core/errors.ts";
import type { DriverContext } from "../framework/driver.ts";
import { DriverFatal } from "../framework/driver.ts";

/** Copies one upstream variable into our state (dummy-ups' `setvar`). */
export type CopyVar = (name: string, value: string) => void;

/** The repeater's connection and copy loop. */
export class Repeater {
  readonly #port: string;
  readonly #copy: CopyVar;
  #target: UpsName | undefined;
  #client: NutClient | undefined;

  /**
   * @param port `ups@host[:port]`
   * @param copy applies one variable
   */
  constructor(port: string, copy: CopyVar) {
    this.#port = port;
    this.#copy = copy;
  }

  #connect(ctx: DriverContext): Promise<NutClient> {
    const t = this.#target!;
    return NutClient.connect({
      host: t.host,
      port: t.port,
      tryTls: true,
      onNotice: (m) => ctx.log.info(m),
    });
  }

  /**
   * Connects and copies the first listing; failures are fatal (NUT 2.8.0).
   * @param ctx driver context
   * @throws DriverFatal `Error: <libupsclient text>`
   */
  async start(ctx: DriverContext): Promise<void> {
    const name = splitName(this.#port);
    if (!name.ok) {
      for (const d of name.diagnostics) ctx.log.info(d);
      throw new DriverFatal(
        "Error: invalid UPS definition.\nRequired format: upsname[@hostname[:port]]",
      );
    }
    this.#target = name.value;
    try {
      this.#client = await this.#connect(ctx);
    } catch (e) {
      throw new DriverFatal(`Error: ${clientErrorText(e)}`, { cause: e });
    }
    ctx.log.debug(1, `Connected to ${name.value.ups}@${name.value.host}`);
    try {
      await this.#copyAll();
    } catch (e) {
      if (e instanceof NutError && e.code === "UNKNOWN-COMMAND") {
        throw new DriverFatal("Error: upsd is too old to support this query");
      }
      throw new DriverFatal(`Error: ${clientErrorText(e)}`, { cause: e });
    }
  }

  async #copyAll(): Promise<void> {
    const vars = await this.#client!.listVars(this.#target!.ups);
    for (const v of vars) {
      if (!v.name.startsWith("driver.")) this.#copy(v.name, v.value);
    }
  }

  /**
   * One update: copy the listing, or reconnect after a failure.
   * @param ctx driver context
   * @returns true when the data was refreshed
   */
  async update(ctx: DriverContext): Promise<boolean> {
    try {
      if (!this.#client?.connected) throw new Error("not connected");
      await this.#copyAll();
      return true;
    } catch (e) {
      ctx.log.debug(1, `Error: ${clientErrorText(e)}`);
      this.#client?.close();
      this.#client = undefined;
      try {
        this.#client = await this.#connect(ctx);
        ctx.log.debug(1, "Reconnected");
      } catch (e2) {
        ctx.log.debug(1, `Error reconnecting: ${clientErrorText(e2)}`);
      }
      return false;
    }
  }

  /** Disconnects. */
  async close(): Promise<void> {
    if (this.#client?.connected) {
      try {
        await this.#client.logout();
      } catch (e) {
        if (!(e instanceof Error)) throw e;
      }
    }
    this.#client?.close();
    this.#client = undefined;
  }
}
