/**
 * Shutdown rehearsal: play an outage story (OL → OB → OB LB) from a dummy
 * driver `.seq` file through upsd to one primary and N secondary
 * `nut upsmon`s whose SHUTDOWNCMD only logs, and print the timeline of
 * events until the primary "shuts down". Nothing on this machine is shut
 * down; everything runs in a temporary directory on 127.0.0.1.
 *
 * Usage: deno task rehearsal [--story FILE.seq] [--secondaries N] [--real] [--timeout S]
 *   --story        the .seq file to replay (default conf/rehearsal/outage.seq)
 *   --secondaries  how many secondary upsmon to run besides the primary (default 1)
 *   --real         use Debian's /lib/nut/upsd and dummy-ups even when ours are built
 *   --timeout      give up after S seconds (default 90)
 * Exit status: 0 when every upsmon ran SHUTDOWNCMD once, secondaries before
 * the primary, and POWERDOWNFLAG was written first; 1 otherwise.
 *
 * @module
 */

const REPO = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const CONF = `${REPO}/conf/rehearsal`;
const enc = new TextEncoder();
const out = (s: string) => Deno.stdout.writeSync(enc.encode(s));

function arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(name);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1]! : fallback;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function isBuilt(sub: string): Promise<boolean> {
  const src = await Deno.readTextFile(`${REPO}/cli/commands/${sub}.ts`);
  return !src.includes("notBuilt(");
}

function spawn(argv: string[], env: Record<string, string>, logFile: string): Deno.ChildProcess {
  const f = Deno.openSync(logFile, { append: true, create: true });
  const child = new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Daemon output goes to a log file in the rehearsal directory.
  void child.stdout.pipeTo(f.writable, { preventClose: true }).catch(() => undefined);
  void child.stderr.pipeTo(
    Deno.openSync(logFile, { append: true }).writable,
  ).catch(() => undefined);
  return child;
}

async function main(): Promise<number> {
  const story = arg("--story", `${CONF}/outage.seq`);
  const secondaries = Number.parseInt(arg("--secondaries", "1"), 10);
  const timeout = Number.parseInt(arg("--timeout", "90"), 10) * 1000;
  const useReal = Deno.args.includes("--real") || !(await isBuilt("upsd")) ||
    !(await isBuilt("dummy"));
  const dir = Deno.makeTempDirSync({ prefix: "nut-rehearsal-" });
  const etc = `${dir}/etc`;
  const state = `${dir}/state`;
  Deno.mkdirSync(etc);
  Deno.mkdirSync(state);
  const port = freePort();
  Deno.copyFileSync(story, `${etc}/outage.seq`);
  Deno.copyFileSync(`${CONF}/ups.conf`, `${etc}/ups.conf`);
  Deno.copyFileSync(`${CONF}/upsd.users`, `${etc}/upsd.users`);
  Deno.writeTextFileSync(`${etc}/upsd.conf`, `LISTEN 127.0.0.1 ${port}\n`);
  const events = `${dir}/timeline.log`;
  Deno.writeTextFileSync(events, "");
  const env = {
    NUT_CONFPATH: etc,
    NUT_STATEPATH: state,
    NUT_ALTPIDPATH: state,
    NUT_PIDPATH: state,
  };
  const nut = [Deno.execPath(), "run", "--quiet", "--allow-all", `${REPO}/cli/main.ts`];
  const children: Deno.ChildProcess[] = [];
  const t0 = Date.now();
  out(`Shutdown rehearsal in ${dir}\n`);
  out(
    `story ${story}; upsd and driver: ${useReal ? "Debian's NUT 2.8.0" : "nut"}; ` +
      `upsmon: nut (1 primary, ${secondaries} secondar${secondaries === 1 ? "y" : "ies"})\n\n`,
  );
  try {
    children.push(spawn(
      useReal
        ? ["/lib/nut/dummy-ups", "-a", "rehearsal", "-F", "-u", "root"]
        : [...nut, "dummy", "-a", "rehearsal", "-F", "-u", "root"],
      env,
      `${dir}/driver.log`,
    ));
    await waitFile(state, "rehearsal", 20_000);
    children.push(spawn(
      useReal ? ["/lib/nut/upsd", "-F", "-u", "root"] : [...nut, "upsd", "-F", "-u", "root"],
      env,
      `${dir}/upsd.log`,
    ));
    await waitUpsd(port, 20_000);
    const template = Deno.readTextFileSync(`${CONF}/upsmon.conf.in`);
    const roles = ["primary", ...Array.from({ length: secondaries }, () => "secondary")];
    const labels = roles.map((r, i) => (r === "primary" ? "primary" : `secondary${i}`));
    for (const [i, role] of roles.entries()) {
      const label = labels[i]!;
      const notify = `${dir}/notify-${label}.sh`;
      const shutdown = `${dir}/shutdown-${label}.sh`;
      const flag = `${dir}/${label}.killpower`;
      Deno.writeTextFileSync(
        notify,
        `#!/bin/sh\nprintf '%s|${label}|%s|%s\\n' "$(date +%s%3N)" "$NOTIFYTYPE" "$1" >> ${events}\n`,
      );
      Deno.writeTextFileSync(
        shutdown,
        `#!/bin/sh\nprintf '%s|${label}|SHUTDOWNCMD|(logged instead of shutting down; POWERDOWNFLAG: %s)\\n' ` +
          `"$(date +%s%3N)" "$(cat ${flag} 2>/dev/null || echo missing)" >> ${events}\n`,
      );
      Deno.chmodSync(notify, 0o755);
      Deno.chmodSync(shutdown, 0o755);
      const conf = template.replaceAll("@PORT@", String(port))
        .replaceAll("@USER@", role === "primary" ? "monprimary" : "monsecondary")
        .replaceAll("@ROLE@", role).replaceAll("@NOTIFY@", notify)
        .replaceAll("@FLAG@", flag).replaceAll("@SHUTDOWN@", shutdown);
      Deno.writeTextFileSync(`${etc}/upsmon-${label}.conf`, conf);
      children.push(spawn(
        [
          ...nut,
          "upsmon",
          "-F",
          "-f",
          `${etc}/upsmon-${label}.conf`,
          "--pidfile",
          `${state}/upsmon-${label}.pid`,
        ],
        env,
        `${dir}/upsmon-${label}.log`,
      ));
    }
    return await follow(events, labels, t0, timeout, port);
  } finally {
    for (const c of children) await stop(c);
    out(`\nlogs kept in ${dir}\n`);
  }
}

async function stop(c: Deno.ChildProcess): Promise<void> {
  try {
    c.kill("SIGTERM");
  } catch (e) {
    // Already exited (an upsmon exits after its shutdown).
    if (!(e instanceof TypeError)) throw e;
  }
  await c.status;
}

/** The UPS status as upsd serves it (undefined when it cannot be read). */
async function statusOf(port: number): Promise<string | undefined> {
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    await c.write(enc.encode("GET VAR rehearsal ups.status\n"));
    const buf = new Uint8Array(256);
    const n = await c.read(buf);
    c.close();
    return /^VAR \S+ ups\.status "(.*)"/.exec(new TextDecoder().decode(buf.subarray(0, n ?? 0)))
      ?.[1];
  } catch (e) {
    if (e instanceof Deno.errors.ConnectionRefused) return undefined;
    throw e;
  }
}

/** Waits until upsd answers GET VAR for the rehearsal UPS (data from the driver). */
async function waitUpsd(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      await c.write(enc.encode("GET VAR rehearsal ups.status\n"));
      const buf = new Uint8Array(256);
      const n = await c.read(buf);
      c.close();
      if (new TextDecoder().decode(buf.subarray(0, n ?? 0)).startsWith("VAR ")) return;
    } catch (e) {
      if (!(e instanceof Deno.errors.ConnectionRefused)) throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("upsd did not serve the rehearsal UPS in time");
}

async function waitFile(dirPath: string, part: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ([...Deno.readDirSync(dirPath)].some((e) => e.name.includes(part))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the driver did not start (no socket in ${dirPath})`);
}

async function follow(
  events: string,
  labels: string[],
  t0: number,
  timeout: number,
  port: number,
): Promise<number> {
  let shown = 0;
  let lastStatus = "";
  const shut = new Map<string, number>();
  for (let i = 0; Date.now() - t0 < timeout; i++) {
    if (i % 3 === 0) {
      const st = await statusOf(port);
      if (st !== undefined && st !== lastStatus) {
        lastStatus = st;
        const t = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
        out(`+${t}s  ${"upsd".padEnd(11)} ${"ups.status".padEnd(12)} ${st}\n`);
      }
    }
    const lines = Deno.readTextFileSync(events).split("\n").filter((l) => l);
    for (const line of lines.slice(shown)) {
      const [ms = "0", who = "", what = "", ...rest] = line.split("|");
      const t = ((Number(ms) - t0) / 1000).toFixed(1).padStart(6);
      out(`+${t}s  ${who.padEnd(11)} ${what.padEnd(12)} ${rest.join("|")}\n`);
      if (what === "SHUTDOWNCMD") shut.set(who, (shut.get(who) ?? 0) + 1);
    }
    shown = lines.length;
    if (shut.has("primary")) {
      await new Promise((r) => setTimeout(r, 1500));
      const all = Deno.readTextFileSync(events).split("\n").filter((l) => l);
      for (const line of all.slice(shown)) out(`${line}\n`);
      return verdict(all, labels);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  out("\nthe primary never shut down before the timeout\n");
  return 1;
}

function verdict(lines: string[], labels: string[]): number {
  const order = lines.map((l) => l.split("|")).filter((w) => w[2] === "SHUTDOWNCMD");
  const problems: string[] = [];
  for (const who of labels) {
    const n = order.filter((w) => w[1] === who).length;
    if (n !== 1) problems.push(`${who} ran SHUTDOWNCMD ${n} times`);
  }
  const last = order[order.length - 1]?.[1];
  if (last !== "primary") problems.push("the primary did not shut down last");
  if (order.some((w) => !(w[3] ?? "").includes("upsmon-shutdown-file"))) {
    problems.push("POWERDOWNFLAG was not written before SHUTDOWNCMD");
  }
  out(
    problems.length
      ? `\nrehearsal FAILED: ${problems.join("; ")}\n`
      : `\nrehearsal passed: ${labels.length} upsmon shut down once each, secondaries first, POWERDOWNFLAG written first\n`,
  );
  return problems.length ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
