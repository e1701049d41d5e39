/**
 * Side-by-side setup for the client compatibility tests: Debian's upsd and
 * `nut upsd` serving the same drivers — a real dummy-ups (`test`), the
 * scripted driver with ENUM/RANGE/STRING variables (`fake`), a dummy-ups we
 * can freeze to make data stale (`stale`) and a UPS without driver
 * (`ghost`) — plus a runner that compares a real client with ours.
 * Builds on engineer C's upsd harness (fake driver, readiness, argv).
 * @module
 */

import { freePort } from "../_helpers/ports.ts";
import { type Daemon, nutArgv, run, type RunResult, spawnDaemon } from "../_helpers/process.ts";
import { REAL } from "../_helpers/real_nut.ts";
import { makeSandbox, type Sandbox } from "../_helpers/sandbox.ts";
import { waitFor } from "../_helpers/wait.ts";
import { startFakeDriver } from "./upsd_fake_driver.ts";
import { dialog, ourUpsdArgv, waitReady } from "./upsd_harness.ts";
import { exists } from "../_helpers/fs.ts";

/** The dummy-ups data file of `test` (a quote, a backslash and a # in values). */
export const TEST_DEV = `battery.charge: 100
battery.charge.low: 20
battery.runtime: 3690
input.voltage: 230.0
input.frequency: 50.0
ups.load: 15
ups.status: OL
ups.temperature: 30.0
ups.mfr: "Acme \\"Power\\" \\\\ Co"
ups.model: Model\\#7
ups.delay.shutdown: 20
`;

/** upsd.users for the ACL cases. */
export const CLIENT_USERS = `[admin]
  password = secret
  actions = SET FSD
  instcmds = all
[noset]
  password = pw
  instcmds = test.battery.start
[setonly]
  password = so
  actions = SET
[mon]
  password = mpw
  upsmon primary
`;

/** A running pair of servers. */
export interface ClientPair extends AsyncDisposable {
  readonly sandbox: Sandbox;
  readonly realPort: number;
  readonly ourPort: number;
  /** Freezes the `stale` driver (SIGSTOP) so both servers declare its data stale. */
  freezeStaleDriver(): void;
  /** Stops one upsd (SIGTERM, waits for exit). */
  stopUpsd(who: "real" | "ours"): Promise<void>;
  /** Starts it again on the same port and waits for data. */
  startUpsd(who: "real" | "ours"): Promise<void>;
}

/**
 * Starts drivers, Debian's upsd and ours (MAXAGE 4).
 * @param options `drivers: "ours"` runs `nut dummy` instead of Debian's dummy-ups
 * @returns the pair; dispose stops everything
 */
export async function startClientPair(
  options: { drivers?: "real" | "ours" } = {},
): Promise<ClientPair> {
  const sandbox = makeSandbox("nut-clients-");
  const stack: AsyncDisposable[] = [];
  const dispose = async () => {
    for (const d of stack.reverse()) await d[Symbol.asyncDispose]();
    await sandbox[Symbol.asyncDispose]();
  };
  try {
    sandbox.writeConf("test.dev", TEST_DEV);
    sandbox.writeConf(
      "ups.conf",
      `[test]\n  driver = dummy-ups\n  port = test.dev\n  desc = "Test UPS"\n` +
        `[fake]\n  driver = fake\n  port = none\n` +
        `[stale]\n  driver = dummy-ups\n  port = test.dev\n` +
        `[ghost]\n  driver = dummy-ups\n  port = test.dev\n  desc = "No driver"\n`,
    );
    sandbox.writeConf("upsd.users", CLIENT_USERS);
    const drivers: Daemon[] = [];
    for (const name of ["test", "stale"]) {
      const exe = options.drivers === "ours" ? [...nutArgv(), "dummy"] : [REAL.dummyUps];
      const d = spawnDaemon([...exe, "-a", name, "-F", "-u", "root"], { env: sandbox.env });
      drivers.push(d);
      stack.push(d);
    }
    stack.push(startFakeDriver(`${sandbox.statePath}/fake-fake`));
    await waitFor(
      () => ["dummy-ups-test", "dummy-ups-stale"].every((s) => exists(`${sandbox.statePath}/${s}`)),
      { timeout: 30_000, what: "dummy-ups sockets" },
    );
    const ports = { real: freePort(), ours: freePort() };
    const upsds: Partial<Record<"real" | "ours", Daemon>> = {};
    const startUpsd = (who: "real" | "ours") => {
      const dir = sandbox.path(who);
      const argv = who === "real" ? [REAL.upsd, "-F", "-u", "root"] : [...ourUpsdArgv(), "-F"];
      upsds[who] = spawnDaemon(argv, {
        env: { ...sandbox.env, NUT_CONFPATH: dir, NUT_ALTPIDPATH: dir },
      });
    };
    for (const who of ["real", "ours"] as const) {
      const dir = sandbox.path(who);
      Deno.mkdirSync(dir);
      for (const f of ["ups.conf", "upsd.users"]) {
        Deno.copyFileSync(sandbox.path(`etc/${f}`), `${dir}/${f}`);
      }
      Deno.writeTextFileSync(`${dir}/upsd.conf`, `LISTEN 127.0.0.1 ${ports[who]}\nMAXAGE 4\n`);
      for (const f of ["ups.conf", "upsd.users", "upsd.conf"]) Deno.chmodSync(`${dir}/${f}`, 0o640);
      startUpsd(who);
    }
    stack.push({
      [Symbol.asyncDispose]: async () => {
        for (const d of Object.values(upsds)) await d?.[Symbol.asyncDispose]();
      },
    });
    for (const port of [ports.real, ports.ours]) {
      for (const ups of ["test", "fake", "stale"]) await waitReady(port, ups);
    }
    return {
      sandbox,
      realPort: ports.real,
      ourPort: ports.ours,
      freezeStaleDriver: () => drivers[1]!.kill("SIGSTOP"),
      async stopUpsd(who) {
        await upsds[who]?.[Symbol.asyncDispose]();
        upsds[who] = undefined;
      },
      async startUpsd(who) {
        startUpsd(who);
        await waitReady(ports[who], "test");
      },
      async [Symbol.asyncDispose]() {
        drivers[1]!.kill("SIGCONT");
        await dispose();
      },
    };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** Waits until a server answers `ERR DATA-STALE` for a UPS. */
export async function waitStale(port: number, ups: string): Promise<void> {
  await waitFor(
    async () => (await dialog(port, [`GET VAR ${ups} ups.status`]))[0] === "ERR DATA-STALE",
    {
      timeout: 30_000,
      interval: 250,
      what: `upsd on ${port} declaring ${ups} stale`,
    },
  );
}

/** One program run, as compared. */
export type Outcome = Pick<RunResult, "code" | "stdout" | "stderr">;

/** Runs Debian's client (`/bin/<prog>`). */
export async function runReal(
  prog: "upsc" | "upscmd" | "upsrw" | "upslog",
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Outcome> {
  // argv[0] as a shell gives it when found on PATH (glibc's getopt prints it)
  const r = await run(
    [
      "/usr/bin/setsid",
      "-w",
      "/bin/bash",
      "-c",
      `exec -a ${prog} ${REAL[prog]} "$@"`,
      prog,
      ...args,
    ],
    options,
  );
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Runs ours (`nut <prog>`). */
export async function runOurs(
  prog: "upsc" | "upscmd" | "upsrw" | "upslog",
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Outcome> {
  const r = await run(["/usr/bin/setsid", "-w", ...nutArgv(), prog, ...args], options);
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Expands `{H}` (the server's host:port), `{P}` (its port) and `{DEAD}` (a closed port).
 * @param args templates
 * @param port the server port
 * @param dead a port nobody listens on
 * @returns the arguments
 */
export function expand(args: readonly string[], port: number, dead: number): string[] {
  return args.map((a) =>
    a.replaceAll("{H}", `127.0.0.1:${port}`).replaceAll("{P}", String(port)).replaceAll(
      "{DEAD}",
      String(dead),
    )
  );
}
