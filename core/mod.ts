/**
 * The core of `nut`: NUT's configuration files, protocols, state machines,
 * client and server, with no I/O beyond the one transport or loader file of
 * each subsystem. The `nut` command (cli/) and the drivers (drivers/) are
 * built on these.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseUpsConf, tokenize } from "./mod.ts";
 * assert.deepEqual(tokenize('port = "auto"\n')[0]?.words, ["port", "=", "auto"]);
 * const conf = parseUpsConf("[ups]\n driver = dummy-ups\n port = x.dev\n", { file: "ups.conf" });
 * assert.equal(conf.devices[0]?.name, "ups");
 * ```
 *
 * @module
 */

// errors, paths, runtime
export { ConfigSyntaxError, NutError } from "./errors.ts";
export { ERR_CODES, type ErrCode } from "./protocol/err_codes.ts";
export { DEFAULTS, type NutPaths, resolvePaths } from "./paths.ts";
export { NUT_TS_VERSION, NUT_VERSION, UPSD_VER_TEXT } from "./version.ts";
export { type Clock, realClock } from "./runtime/clock.ts";
export { lineLogger, type Logger, nullLogger } from "./runtime/logger.ts";
export { USR1_ALIAS, USR1_SIGNALS } from "./runtime/signals.ts";

// the tokenizer and the protocols
export {
  escapeValue,
  quoteValue,
  tokenize,
  Tokenizer,
  type TokenLine,
  type TokenWarning,
} from "./protocol/tokenize.ts";
export { LineSplitter, LineStream, MAX_LINE } from "./protocol/line_stream.ts";
export { formatRequest, parseRequest, type Request } from "./protocol/request.ts";
export { formatResponse, parseResponse, type Response } from "./protocol/response.ts";
export {
  type DriverMessage,
  formatDriverMessage,
  formatServerMessage,
  LinkReader,
  parseDriverMessage,
  parseServerMessage,
  type ServerMessage,
} from "./protocol/driver_link.ts";

// configuration files
export { parseUpsConf, type UpsConf, type UpsDevice } from "./config/ups_conf.ts";
export { parseUpsdConf, type UpsdConf } from "./config/upsd_conf.ts";
export { parseUpsdUsers, type UpsdUsers } from "./config/upsd_users.ts";
export { parseUpsmonConf, type UpsmonConf } from "./config/upsmon_conf.ts";
export { parseUpsschedConf, type UpsschedConf } from "./config/upssched_conf.ts";
export { type NutConf, parseNutConf } from "./config/nut_conf.ts";
export { type HostsConf, parseHostsConf } from "./config/hosts_conf.ts";
export { parseUpssetConf, type UpssetConf } from "./config/upsset_conf.ts";
export { type ConfigProblem } from "./config/problem.ts";
export { loadConfigFile, type LoadResult } from "./config/load.ts";
export { checkConfigDir, type CheckResult } from "./config/check.ts";
export { type DriverTable, driverTable } from "./config/driver_table.ts";
export { NOTIFY_TYPES } from "./config/notify_types.ts";

// device state
export { UpsState, type VarEntry } from "./state/ups_state.ts";
export { formatStatus, parseStatus } from "./state/status.ts";

// the client
export { type ConnectOptions, NutClient } from "./client/client.ts";
export { connectTcp, type Transport } from "./client/transport.ts";
export { splitAddr, splitName, type UpsName } from "./client/ups_name.ts";
export { libupsclientText, UpsClientError } from "./client/errors.ts";

// the server
export { Upsd, type UpsdDeps } from "./server/server.ts";

// upsmon, upssched, upslog
export {
  initialState,
  type MonitorEvent,
  type MonitorState,
  type Observation,
  step,
} from "./monitor/transitions.ts";
export { Upsmon } from "./monitor/upsmon.ts";
export { planSched, type SchedPlan } from "./sched/plan.ts";
export { TimerQueue } from "./sched/timers.ts";
export { compileFormat, DEFAULT_LOGFORMAT, expandLine } from "./upslog/format.ts";
export { UpsLogRunner } from "./upslog/runner.ts";
