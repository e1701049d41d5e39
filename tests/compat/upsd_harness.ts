/**
 * Side-by-side harness: real `dummy-ups` drivers serving both Debian's real
 * upsd and `nut upsd` from the same STATEPATH, and a raw protocol dialogue
 * helper. Used by the upsd compatibility tests, the e2e tests and the bench.
 * @module
 */

import { freePort } from "../_helpers/ports.ts";
import { type Daemon, nutArgv, REPO, spawnDaemon } from "../_helpers/process.ts";
import { REAL } from "../_helpers/real_nut.ts";
import { makeSandbox, type Sandbox } from "../_helpers/sandbox.ts";
import { waitFor } from "../_helpers/wait.ts";
import { type FakeDriver, startFakeDriver } from "./upsd_fake_driver.ts";
import { exists } from "../_helpers/fs.ts";

/** The shared data folder. */
export const SHARED = `${REPO}/../shared`;

/** One UPS section for the harness. */
export interface UpsSpec {
  readonly name: string;
  /** Absolute path of a .dev/.seq file, or "fake" for the scripted driver. */
  readonly dev: string;
  readonly desc?: string;
}

/** Users every harness gets (ACL tests use them). */
export const USERS = `[admin]
  password = secret
  actions = SET FSD
  instcmds = all
[mon]
  password = pw
  upsmon primary
[sec]
  password = spw
  upsmon secondary
[setter]
  password = s
  actions = set
[cmdr]
  password = c
  instcmds = load.off
[nopw]
  actions = SET
`;

/** A running pair. */
export interface Pair extends AsyncDisposable {
  readonly sandbox: Sandbox;
  /** Port of Debian's upsd (absent when `real: false`). */
  readonly realPort: number;
  /** Port of `nut upsd`. */
  readonly ourPort: number;
  /** Our upsd's process (pid, output). */
  readonly ours: Daemon;
  /** Debian's upsd process. */
  readonly real: Daemon | undefined;
}

/** V8 flags the daemon launcher uses. */
export const UPSD_V8_FLAGS = "--v8-flags=--max-semi-space-size=1";

/** argv running our upsd from the checkout with the launcher's V8 flags. */
export function ourUpsdArgv(): string[] {
  const [deno, ...rest] = nutArgv();
  return [deno!, rest[0]!, UPSD_V8_FLAGS, ...rest.slice(1), "upsd"];
}

/**
 * Starts the drivers, then real upsd (unless `real: false`) and ours.
 * @param upses the UPS sections
 * @param options extra upsd.conf lines, whether to start the real upsd
 * @returns the pair; dispose stops everything
 */
export async function startPair(
  upses: readonly UpsSpec[],
  options: {
    upsdConf?: string;
    real?: boolean;
    waitData?: boolean;
    users?: string;
    upsdFlags?: string[];
    /** Which dummy-ups serves the .dev files: Debian's (default) or `nut dummy`. */
    driver?: "real" | "nut";
    /** How `driver: "nut"` runs (default: the checkout's `nut dummy`). */
    driverArgv?: string[];
    /** argv prefix for our upsd (e.g. a shell that lowers ulimit -n, then execs). */
    wrap?: string[];
    /** How to run our upsd (default {@linkcode ourUpsdArgv}: the checkout's `nut upsd`). */
    upsdArgv?: string[];
  } = {},
): Promise<Pair> {
  const sandbox = makeSandbox("nut-upsd-");
  const daemons: Daemon[] = [];
  const dispose = async () => {
    for (const d of daemons.reverse()) await d[Symbol.asyncDispose]();
    await sandbox[Symbol.asyncDispose]();
  };
  try {
    sandbox.writeConf(
      "ups.conf",
      upses.map((u) =>
        `[${u.name}]\n  driver = ${u.dev === "fake" ? "fake" : "dummy-ups"}\n  port = ${u.dev}\n` +
        (u.desc !== undefined ? `  desc = "${u.desc}"\n` : "")
      ).join(""),
    );
    sandbox.writeConf("upsd.users", options.users ?? USERS);
    for (const u of upses) {
      if (u.dev === "fake") {
        const f: FakeDriver = startFakeDriver(`${sandbox.statePath}/fake-${u.name}`);
        daemons.push({ [Symbol.asyncDispose]: () => f[Symbol.asyncDispose]() } as Daemon);
        continue;
      }
      const argv = options.driver === "nut"
        ? [...(options.driverArgv ?? [...nutArgv(), "dummy"]), "-a", u.name, "-F"]
        : [REAL.dummyUps, "-a", u.name, "-F", "-u", "root"];
      daemons.push(spawnDaemon(argv, { env: sandbox.env }));
    }
    await waitFor(
      () =>
        upses.every((u) =>
          exists(`${sandbox.statePath}/${u.dev === "fake" ? "fake" : "dummy-ups"}-${u.name}`)
        ),
      { timeout: 30_000, what: "dummy-ups sockets" },
    );
    const realPort = options.real === false ? 0 : freePort();
    let real: Daemon | undefined;
    if (realPort) {
      const dir = sandbox.path("real");
      Deno.mkdirSync(dir);
      writeConfDir(dir, sandbox, `LISTEN 127.0.0.1 ${realPort}\n${options.upsdConf ?? ""}`);
      real = spawnDaemon([REAL.upsd, "-F", "-u", "root"], {
        env: { ...sandbox.env, NUT_CONFPATH: dir, NUT_ALTPIDPATH: dir },
      });
      daemons.push(real);
    }
    const ourPort = freePort();
    const dir = sandbox.path("ours");
    Deno.mkdirSync(dir);
    writeConfDir(dir, sandbox, `LISTEN 127.0.0.1 ${ourPort}\n${options.upsdConf ?? ""}`);
    const ours = spawnDaemon([
      ...(options.wrap ?? []),
      ...(options.upsdArgv ?? ourUpsdArgv()),
      ...(options.upsdFlags ?? ["-F"]),
    ], {
      env: {
        ...sandbox.env,
        NUT_CONFPATH: dir,
        NUT_ALTPIDPATH: dir,
      },
    });
    daemons.push(ours);
    if (options.waitData !== false) {
      for (const port of [realPort, ourPort].filter((p) => p > 0)) {
        for (const u of upses) await waitReady(port, u.name);
      }
    }
    return { sandbox, realPort, ourPort, ours, real, [Symbol.asyncDispose]: dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

function writeConfDir(dir: string, sandbox: Sandbox, upsdConf: string): void {
  for (const f of ["ups.conf", "upsd.users"]) {
    Deno.copyFileSync(`${sandbox.confPath}/${f}`, `${dir}/${f}`);
    Deno.chmodSync(`${dir}/${f}`, 0o640);
  }
  Deno.writeTextFileSync(`${dir}/upsd.conf`, upsdConf, { mode: 0o640 });
  Deno.chmodSync(`${dir}/upsd.conf`, 0o640);
}

/** Waits until a upsd serves real data for a UPS (not WAIT, no ERR). */
export async function waitReady(port: number, ups: string, timeout = 30_000): Promise<void> {
  await waitFor(async () => {
    const [r] = await dialog(port, [`GET VAR ${ups} ups.status`]);
    return r !== undefined && r.startsWith("VAR ") && !r.includes('"WAIT"');
  }, { timeout, interval: 100, what: `upsd on ${port} serving ${ups}` });
}

const enc = new TextEncoder();

/**
 * Talks to a NUT server: sends each line and reads its whole reply (a line,
 * or a BEGIN…END LIST block) before the next one.
 * @param port server port on 127.0.0.1
 * @param lines request lines (no newline)
 * @param timeout per reply, ms
 * @returns one reply per line (lines joined by "\n"); "(closed)"/"(timeout)" markers
 */
export async function dialog(
  port: number,
  lines: readonly string[],
  timeout = 5000,
): Promise<string[]> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const out: string[] = [];
  let pending = "";
  const buf = new Uint8Array(65536);
  const dec = new TextDecoder("latin1");
  const readLine = async (): Promise<string | undefined> => {
    while (true) {
      const nl = pending.indexOf("\n");
      if (nl >= 0) {
        const l = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        return l;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        conn.read(buf),
        new Promise<"t">((r) => (timer = setTimeout(() => r("t"), timeout))),
      ]);
      clearTimeout(timer);
      if (n === "t") return "(timeout)";
      if (n === null) return undefined;
      pending += dec.decode(buf.subarray(0, n));
    }
  };
  try {
    for (const l of lines) {
      await conn.write(enc.encode(l + "\n"));
      const first = await readLine();
      if (first === undefined) {
        out.push("(closed)");
        break;
      }
      if (first.startsWith("BEGIN LIST ")) {
        const rows = [first];
        while (true) {
          const r = await readLine();
          if (r === undefined || r === "(timeout)") {
            rows.push(r ?? "(closed)");
            break;
          }
          rows.push(r);
          if (r.startsWith("END LIST ")) break;
        }
        out.push(rows.join("\n"));
      } else out.push(first);
    }
  } finally {
    conn.close();
  }
  return out;
}

/** Replaces tracking UUIDs so two servers' replies compare. */
export function normalizeIds(s: string): string {
  return s.replace(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/g, "<ID>");
}
