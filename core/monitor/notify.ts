/**
 * Delivering upsmon notifications the way NUT's `do_notify` does: the
 * message (NOTIFYMSG override or stock text, `%s` = UPS system) goes to
 * the log (SYSLOG), to `wall` (WALL) and to `/bin/sh -c '<NOTIFYCMD>
 * "<message>"'` with `UPSNAME`/`NOTIFYTYPE` in its environment (EXEC);
 * IGNORE suppresses everything. Process spawning is injected.
 *
 * @module
 */

import type { Logger } from "../runtime/logger.ts";
import {
  defaultFlags,
  formatNotifyMessage,
  type NotifyFlags,
  type NotifyType,
  STOCK_MESSAGES,
} from "./notify_types.ts";

/** Notification settings from upsmon.conf. */
export interface NotifyConfig {
  /** NOTIFYMSG overrides by type. */
  readonly messages: ReadonlyMap<string, string>;
  /** NOTIFYFLAG settings by type (replacing the defaults). */
  readonly flags: ReadonlyMap<string, NotifyFlags>;
  /** NOTIFYCMD. */
  readonly notifyCmd: string | undefined;
}

/** Side effects a notification can have (fire and forget). */
export interface NotifySinks {
  /** Runs `wall` with `text` on its standard input. */
  wall(text: string): void;
  /** Runs `/bin/sh -c <command>` with extra environment. */
  exec(command: string, env: Readonly<Record<string, string>>): void;
}

/** One delivered notification, for tests and the rehearsal timeline. */
export interface Delivered {
  readonly type: NotifyType;
  readonly system: string | undefined;
  readonly message: string;
  readonly flags: NotifyFlags;
}

/**
 * Sends notifications.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Notifier } from "./notify.ts";
 * import { nullLogger } from "../runtime/logger.ts";
 * const execs: string[] = [];
 * const n = new Notifier(
 *   { messages: new Map(), flags: new Map([["ONBATT", { syslog: false, wall: false, exec: true, ignore: false }]]), notifyCmd: "/bin/note" },
 *   nullLogger,
 *   { wall: () => {}, exec: (c) => void execs.push(c) },
 * );
 * n.notify("ONBATT", "ups@localhost");
 * assert.deepEqual(execs, ['/bin/note "UPS ups@localhost on battery"']);
 * ```
 */
export class Notifier {
  #cfg: NotifyConfig;
  readonly #log: Logger;
  readonly #sinks: NotifySinks;
  /** Called after every notification (the rehearsal prints a timeline from it). */
  onDelivered: ((d: Delivered) => void) | undefined;

  /**
   * @param cfg messages, flags, NOTIFYCMD
   * @param log where SYSLOG lines go
   * @param sinks wall and exec
   */
  constructor(cfg: NotifyConfig, log: Logger, sinks: NotifySinks) {
    this.#cfg = cfg;
    this.#log = log;
    this.#sinks = sinks;
  }

  /**
   * Replaces the settings (upsmon.conf reload).
   * @param cfg messages, flags, NOTIFYCMD
   */
  configure(cfg: NotifyConfig): void {
    this.#cfg = cfg;
  }

  /**
   * The flags in force for a type.
   * @param type notification type
   * @returns flags
   */
  flagsFor(type: NotifyType): NotifyFlags {
    return this.#cfg.flags.get(type) ?? defaultFlags(type);
  }

  /**
   * The message text for a type.
   * @param type notification type
   * @param system the UPS system string (empty for host events)
   * @param extra further `%s` arguments
   * @returns the message
   */
  message(type: NotifyType, system: string | undefined, extra: readonly string[] = []): string {
    const template = this.#cfg.messages.get(type) ?? STOCK_MESSAGES[type];
    return formatNotifyMessage(template, [system ?? "", ...extra]);
  }

  /**
   * Delivers one notification.
   * @param type notification type
   * @param system the UPS system string, undefined for host-wide events
   * @param extra further `%s` arguments (ALARM text, OTHER tokens)
   */
  notify(type: NotifyType, system: string | undefined, extra: readonly string[] = []): void {
    const flags = this.flagsFor(type);
    const message = this.message(type, system, extra);
    this.onDelivered?.({ type, system, message, flags });
    if (flags.ignore) return;
    if (flags.syslog) this.#log.info(message);
    if (flags.wall) this.#sinks.wall(`${message}\n`);
    if (flags.exec && this.#cfg.notifyCmd !== undefined) {
      // NUT inserts the message in double quotes without escaping anything.
      this.#sinks.exec(`${this.#cfg.notifyCmd} "${message}"`, {
        UPSNAME: system ?? "",
        NOTIFYTYPE: type,
      });
    }
  }
}
