/**
 * The dispatch table: one handler per request kind, one module per family
 * (NUT's `netcmds.h`).
 *
 * @module
 */

import type { HandlerTable } from "../context.ts";
import * as auth from "./auth.ts";
import * as get from "./get.ts";
import { instcmd } from "./instcmd.ts";
import * as list from "./list.ts";
import * as misc from "./misc.ts";
import * as set from "./set.ts";

/** Every request kind → its handler. */
export const HANDLERS: HandlerTable = {
  ver: misc.ver,
  netver: misc.netver,
  help: misc.help,
  starttls: misc.starttls,
  fsd: misc.fsd,
  username: auth.username,
  password: auth.password,
  login: auth.login,
  logout: auth.logout,
  primary: auth.primary,
  getNumLogins: get.getNumLogins,
  getUpsDesc: get.getUpsDesc,
  getVar: get.getVar,
  getType: get.getType,
  getDesc: get.getDesc,
  getCmdDesc: get.getCmdDesc,
  getTracking: get.getTracking,
  listUps: list.listUps,
  listVar: list.listVar,
  listRw: list.listRw,
  listCmd: list.listCmd,
  listEnum: list.listEnum,
  listRange: list.listRange,
  listClient: list.listClient,
  setVar: set.setVar,
  setTracking: set.setTracking,
  instcmd,
};
