/**
 * `deno task demo`: the whole NUT stack on loopback from `conf/demo/` —
 * `nut dummy` replays a real device dump, `nut upsd` serves it on a free
 * port, and `nut upsc` shows the UPS. Everything lives in a temp dir;
 * Ctrl-C stops it. `--once` prints the listing and exits (for tests).
 *
 * Usage: deno task demo [--once]
 *
 * @module
 */

const REPO = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const once = Deno.args.includes("--once");
const NUT = [Deno.execPath(), "run", "--quiet", "--allow-all"];
const MAIN = `${REPO}/cli/main.ts`;
const UPSD_V8 = "--v8-flags=--max-semi-space-size=1";
const enc = new TextEncoder();
const out = (s: string) => Deno.stdout.writeSync(enc.encode(s));

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function ask(port: number, line: string): Promise<string> {
  const c = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await c.write(enc.encode(line + "\n"));
    const buf = new Uint8Array(4096);
    const n = await c.read(buf);
    return n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
  } finally {
    c.close();
  }
}

const dir = await Deno.makeTempDir({ prefix: "nut-demo-" });
const etc = `${dir}/etc`;
const state = `${dir}/state`;
await Deno.mkdir(etc);
await Deno.mkdir(state, { mode: 0o770 });
for (const f of ["ups.conf", "upsd.users", "apc-back-ups-bvk750m2.dev"]) {
  await Deno.copyFile(`${REPO}/conf/demo/${f}`, `${etc}/${f}`);
  await Deno.chmod(`${etc}/${f}`, 0o640);
}
const port = freePort();
await Deno.writeTextFile(`${etc}/upsd.conf`, `LISTEN 127.0.0.1 ${port}\n`, { mode: 0o640 });
const env = {
  NUT_CONFPATH: etc,
  NUT_STATEPATH: state,
  NUT_ALTPIDPATH: state,
  NUT_PIDPATH: state,
  DENO_NO_UPDATE_CHECK: "1",
};

const children: Deno.ChildProcess[] = [];
const logs: string[] = [];
function start(args: string[], name: string): Deno.ChildProcess {
  const p = new Deno.Command(args[0]!, {
    args: args.slice(1),
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const dec = new TextDecoder();
  for (const s of [p.stdout, p.stderr]) {
    void (async () => {
      for await (const c of s) logs.push(`[${name}] ${dec.decode(c)}`);
    })();
  }
  children.push(p);
  return p;
}

async function stop(code: number): Promise<never> {
  for (const p of children.reverse()) {
    try {
      p.kill("SIGTERM");
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
    }
    await p.status;
  }
  await Deno.remove(dir, { recursive: true });
  Deno.exit(code);
}

start([...NUT, MAIN, "dummy", "-a", "demo", "-F"], "nut dummy");
start([...NUT, UPSD_V8, MAIN, "upsd", "-F"], "nut upsd");

let ready = false;
const deadline = Date.now() + 30_000;
while (Date.now() < deadline) {
  try {
    const r = await ask(port, "GET VAR demo ups.status");
    if (r.startsWith("VAR ") && !r.includes('"WAIT"')) {
      ready = true;
      break;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.ConnectionRefused)) throw e;
  }
  await new Promise((r) => setTimeout(r, 100));
}
if (!ready) {
  Deno.stderr.writeSync(enc.encode(`demo: nut upsd did not serve data in 30 s\n${logs.join("")}`));
  await stop(1);
}

out(`$ nut upsc demo@127.0.0.1:${port}\n`);
const upsc = await new Deno.Command(Deno.execPath(), {
  args: ["run", "--quiet", "--allow-all", MAIN, "upsc", `demo@127.0.0.1:${port}`],
  env,
  stdout: "piped",
  stderr: "piped",
}).output();
out(new TextDecoder().decode(upsc.stdout));
if (upsc.code !== 0) Deno.stderr.writeSync(upsc.stderr);

if (once) await stop(upsc.code);

out(
  `\nnut dummy and nut upsd are running (config and state in ${dir}).\n` +
    `Try:  deno task nut upsc demo@127.0.0.1:${port} ups.status\n` +
    `      deno task nut upsc -l 127.0.0.1:${port}\n` +
    "Press Ctrl-C to stop.\n",
);
const { promise, resolve } = Promise.withResolvers<void>();
Deno.addSignalListener("SIGINT", () => resolve());
Deno.addSignalListener("SIGTERM", () => resolve());
await promise;
out("\nStopping.\n");
await stop(0);
