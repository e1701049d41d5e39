/**
 * Runs ../shared/tools/upsd-torture.mjs (node) against `nut upsd`: starts a
 * driver (Debian's dummy-ups, or `nut dummy` without it) and `nut upsd` on a
 * free loopback port in a temp dir, passes the server's pid and log file to
 * the tool, prints its report, and exits with its status. Not part of the
 * test run. `nut upsd` runs as users run it: the `upsd` wrapper of
 * `nut links` (its bundle); `--checkout` runs the checkout's `nut upsd`.
 *
 * Usage: deno run -A bench/torture.ts [--checkout] [--quick] [--tests fuzz,long,...]
 *        (every other argument goes to upsd-torture.mjs)
 *
 * @module
 */

import { exists, freePort, MAIN, NUT, REAL, REPO, SHARED, UPSD_V8, waitServing } from "./_setup.ts";

async function stopProcess(p: Deno.ChildProcess): Promise<void> {
  try {
    p.kill("SIGTERM");
  } catch (e) {
    // already exited
    if (!(e instanceof TypeError)) throw e;
  }
  await p.status;
}

const dir = await Deno.makeTempDir({ prefix: "nut-torture-" });
const etc = `${dir}/etc`;
const state = `${dir}/state`;
Deno.mkdirSync(etc);
Deno.mkdirSync(state, { mode: 0o770 });
const port = freePort();
const dev = `${REPO}/conf/demo/apc-back-ups-bvk750m2.dev`;
Deno.writeTextFileSync(`${etc}/ups.conf`, `[torture]\n  driver = dummy-ups\n  port = ${dev}\n`, {
  mode: 0o640,
});
Deno.writeTextFileSync(`${etc}/upsd.conf`, `LISTEN 127.0.0.1 ${port}\n`, { mode: 0o640 });
Deno.writeTextFileSync(
  `${etc}/upsd.users`,
  "[admin]\n  password = torture-pass\n  actions = SET FSD\n  instcmds = all\n",
  { mode: 0o640 },
);
const env = {
  NUT_CONFPATH: etc,
  NUT_STATEPATH: state,
  NUT_ALTPIDPATH: state,
  DENO_NO_UPDATE_CHECK: "1",
};
const log = `${dir}/upsd.log`;
const logFile = await Deno.open(log, { write: true, create: true });
const real = exists(REAL.dummyUps);
const driver = new Deno.Command(real ? REAL.dummyUps : NUT[0]!, {
  args: real
    ? ["-a", "torture", "-F", "-u", "root"]
    : [...NUT.slice(1), MAIN, "dummy", "-a", "torture", "-F"],
  env,
  stdout: "null",
  stderr: "null",
}).spawn();
const deadline = Date.now() + 30_000;
while (!exists(`${state}/dummy-ups-torture`)) {
  if (Date.now() > deadline) throw new Error("the driver did not start within 30 s");
  await new Promise((r) => setTimeout(r, 50));
}
const checkout = Deno.args.includes("--checkout");
let upsdArgv = [NUT[0]!, ...NUT.slice(1, 4), UPSD_V8, MAIN, "upsd", "-F"];
if (!checkout) {
  const bin = `${dir}/bin`;
  const links = await new Deno.Command(NUT[0]!, {
    args: [...NUT.slice(1), MAIN, "links", bin],
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!links.success) throw new Error("nut links failed");
  upsdArgv = [`${bin}/upsd`, "-F"];
}
Deno.stdout.writeSync(new TextEncoder().encode(`torture: ${upsdArgv.join(" ")}\n`));
const upsd = new Deno.Command(upsdArgv[0]!, {
  args: upsdArgv.slice(1),
  env,
  stdout: "null",
  stderr: "piped",
}).spawn();
void (async () => {
  // copy the log as it comes, so the tool can measure its growth per test
  for await (const chunk of upsd.stderr) logFile.writeSync(chunk);
})();
let code = 1;
try {
  await waitServing(port, "torture");
  const tool = new Deno.Command("node", {
    args: [
      `${SHARED}/tools/upsd-torture.mjs`,
      "--port",
      String(port),
      "--ups",
      "torture",
      "--pid",
      String(upsd.pid),
      "--log",
      log,
      "--user",
      "admin",
      "--pass",
      "torture-pass",
      "--instcmd",
      "load.off",
      ...Deno.args.filter((a) => a !== "--checkout"),
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  code = (await tool.status).code;
} finally {
  for (const p of [upsd, driver]) await stopProcess(p);
  await Deno.remove(dir, { recursive: true });
}
Deno.exit(code);
