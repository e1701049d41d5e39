/**
 * `nut upssched`: NUT's upssched, run by upsmon as NOTIFYCMD. Reads
 * upssched.conf for the event in `UPSNAME`/`NOTIFYTYPE`, runs EXECUTE
 * commands, and passes timer requests to the timer daemon on PIPEFN —
 * starting it (this same program, detached, with `--daemon`) when none runs.
 *
 * @module
 */

import { loadConfigFile } from "../../core/config/load.ts";
import { selfArgv } from "../self.ts";
import type { CliIo } from "../io.ts";
import { resolvePaths } from "../../core/paths.ts";
import { tokenize } from "../../core/protocol/tokenize.ts";
import { planSched, type SchedAction } from "../../core/sched/plan.ts";
import { sendToDaemon } from "../../core/sched/client.ts";
import { runSchedDaemon } from "../../core/sched/daemon.ts";
import {
  connectUnix,
  createLock,
  listenUnix,
  removeIfExists,
  removeStaleLock,
  runCmdScript,
} from "../../core/sched/unix_io.ts";
import { realClock } from "../../core/runtime/clock.ts";
import { lineLogger } from "../../core/runtime/logger.ts";

/** One line for `nut help`. */
export const summary = "timers for upsmon events (NUT's upssched)";

/**
 * Runs upssched.
 * @param args `--daemon` (internal: the timer daemon); anything else is ignored like NUT 2.8.0
 * @param io process I/O
 * @returns the exit code
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  if (args[0] === "--daemon") return await daemon(io);
  if (args.length === 1 && args[0] === "-h") {
    // NUT 2.8.0 has no options; this is the help of later releases (-h only).
    io.stdout(
      "upssched: upsmon's scheduling helper for offset timers\n" +
        "Practical behavior is managed by UPSNAME and NOTIFYTYPE envvars\n" +
        "\nUsage: upssched [OPTIONS] [NOTIFYMSG]\n\n" +
        "  -h\t\tdisplay this help\n",
    );
    return 0;
  }
  const upsName = io.env("UPSNAME");
  const notifyType = io.env("NOTIFYTYPE");
  if (upsName === undefined || notifyType === undefined) {
    io.stdout("Error: UPSNAME and NOTIFYTYPE must be set.\n");
    io.stdout("This program should only be run from upsmon.\n");
    return 1;
  }
  const file = `${resolvePaths((k) => io.env(k)).confPath}/upssched.conf`;
  const loaded = await loadConfigFile(file, { confPath: "", readTextFile: io.readTextFile });
  if (!loaded.ok) {
    io.stderr(`${loaded.message}\n`);
    return 1;
  }
  const text = loaded.text;
  const event = { upsName, notifyType, notifyMsg: args.join(" ") };
  const plan = planSched(
    tokenize(text, { onWarning: (w) => io.stderr(`${w.message}\n`) }),
    event,
    file,
  );
  const log = (m: string) => io.stderr(`${m}\n`);
  // NUT acts on each AT as it reads it; the plan keeps that order.
  for (const action of plan.actions) {
    if (action.kind === "execute") {
      await runCmdScript(action.paths.cmdScript, action.command, {});
      continue;
    }
    let ok: boolean;
    try {
      ok = await sendToDaemon(action, event, {
        connect: connectUnix,
        createLock,
        removeLock: (p) => removeStaleLock(p),
        startDaemon: (a) => spawnDaemon(a, io),
        sleep: (ms) => realClock.sleep(ms),
        log,
      });
    } catch (e) {
      log(e instanceof Error ? e.message : String(e));
      return 1;
    }
    if (!ok) {
      log("Unable to connect to daemon and unable to start daemon");
      return 1;
    }
  }
  const logsBeforeFatal = plan.fatal === undefined ? plan.logs : plan.logs.slice(0, -1);
  for (const l of logsBeforeFatal) log(l);
  if (plan.fatal !== undefined) {
    io.stdout(`${plan.fatal}\n`);
    log(plan.fatal);
    return 1;
  }
  return 0;
}

function spawnDaemon(action: Extract<SchedAction, { kind: "send" }>, io: CliIo): Promise<void> {
  const env: Record<string, string> = {
    NUT_UPSSCHED_PIPEFN: action.paths.pipeFn,
    NUT_UPSSCHED_LOCKFN: action.paths.lockFn,
    NUT_UPSSCHED_CMDSCRIPT: action.paths.cmdScript,
  };
  const idle = io.env("NUT_UPSSCHED_IDLE");
  if (idle !== undefined) env.NUT_UPSSCHED_IDLE = idle;
  const [cmd, ...args] = selfArgv("upssched", ["--daemon"], { daemon: true });
  const child = new Deno.Command(cmd!, {
    args,
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref();
  return waitListening(action.paths.pipeFn, child.status);
}

/**
 * Waits until the new daemon accepts connections on PIPEFN (as NUT's child
 * releases its parent once bound), so no second daemon gets started.
 */
async function waitListening(pipeFn: string, exited: Promise<Deno.CommandStatus>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 400 && !gone; i++) {
    const c = await connectUnix(pipeFn);
    if (c) {
      c.close();
      return;
    }
    await realClock.sleep(25);
  }
}

async function daemon(io: CliIo): Promise<number> {
  const pipeFn = io.env("NUT_UPSSCHED_PIPEFN");
  const lockFn = io.env("NUT_UPSSCHED_LOCKFN");
  const cmdScript = io.env("NUT_UPSSCHED_CMDSCRIPT");
  if (!pipeFn || !lockFn || !cmdScript) {
    io.stderr("upssched --daemon is started by upssched itself\n");
    return 1;
  }
  // Another daemon already serves PIPEFN (two starts raced): leave it be.
  const live = await connectUnix(pipeFn);
  if (live) {
    live.close();
    removeIfExists(lockFn);
    return 0;
  }
  const listener = listenUnix(pipeFn);
  // The daemon is up: release the lock so the next client connects to us.
  removeIfExists(lockFn);
  const idle = Number.parseInt(io.env("NUT_UPSSCHED_IDLE") ?? "15", 10);
  await runSchedDaemon({
    clock: realClock,
    log: lineLogger((l) => io.stderr(l)),
    listener,
    closeListener: () => {
      listener.close();
      removeIfExists(pipeFn);
    },
    // Timer runs carry the UPSNAME/NOTIFYTYPE of the events that started them
    // (a 2.8.0 client sends none: then the starting invocation's, as NUT 2.8.0).
    run: (r) =>
      runCmdScript(cmdScript, r.arg, {
        ...r.env,
        NUT_UPSSCHED_PIPEFN: undefined,
        NUT_UPSSCHED_LOCKFN: undefined,
        NUT_UPSSCHED_CMDSCRIPT: undefined,
      }),
    idlePasses: Number.isFinite(idle) && idle > 0 ? idle : 15,
  });
  return 0;
}
