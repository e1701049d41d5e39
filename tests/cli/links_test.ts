import assert from "node:assert/strict";
import { REPO, run, runNut, spawnDaemon } from "../_helpers/process.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import { freePort } from "../_helpers/ports.ts";
import { waitFor } from "../_helpers/wait.ts";
import { exists } from "../_helpers/fs.ts";
import { COMMANDS } from "../../cli/commands/mod.ts";
import { BUNDLED } from "../../cli/bundle.ts";
import { type LauncherTools, launcherTools } from "../../cli/self.ts";
import {
  DAEMON_V8_FLAGS,
  programNames,
  usr1BlockingLauncher,
  WRAPPER_MARK,
} from "../../cli/commands/links.ts";

/** A temp dir every user may enter (mkdtemp makes it 0700). */
function openTempDir(): string {
  const d = Deno.makeTempDirSync({ prefix: "nut-links-" });
  Deno.chmodSync(d, 0o755);
  return d;
}

function userExists(name: string): boolean {
  return Deno.readTextFileSync("/etc/passwd").split("\n").some((l) => l.startsWith(`${name}:`));
}

const asRoot = Deno.uid() === 0;
const haveNutUser = userExists("nut");

Deno.test("programNames() takes every NUT program name from the command table, once", {
  permissions: "none",
}, () => {
  const want = new Set(Object.values(COMMANDS).flatMap((c) => [...c.programs]));
  assert.deepEqual(new Set(programNames()), new Set(["nut", ...want]));
  assert.equal(programNames().length, want.size + 1);
  for (const p of ["upsc", "upsd", "upsdrvctl", "dummy-ups", "usbhid-ups", "nut-scanner"]) {
    assert.ok(programNames().includes(p), p);
  }
});

Deno.test("nut links creates working wrappers and installs the man pages", async (t) => {
  const dir = openTempDir();
  try {
    const bin = `${dir}/bin`;
    const r = await runNut(["links", bin, "--man", `${dir}/man`], { timeout: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    for (const name of programNames()) {
      const st = Deno.statSync(`${bin}/${name}`);
      assert.equal((st.mode ?? 0) & 0o777, 0o755, name);
      assert.ok(Deno.readTextFileSync(`${bin}/${name}`).includes(WRAPPER_MARK));
    }
    // daemons keep a small heap; one-shot clients start with Deno's defaults
    for (const name of ["upsd", "upsmon", "dummy-ups", "usbhid-ups"]) {
      assert.ok(Deno.readTextFileSync(`${bin}/${name}`).includes(DAEMON_V8_FLAGS), name);
    }
    assert.ok(!Deno.readTextFileSync(`${bin}/upsc`).includes(DAEMON_V8_FLAGS));
    assert.ok(Deno.statSync(`${dir}/man/man8/nut.8`).isFile);
    assert.ok(Deno.statSync(`${dir}/man/man5/ups.conf.5`).isFile);

    await t.step("a wrapper behaves exactly like `nut <program>`", async () => {
      const viaNut = await runNut(["upsc", "-h"]);
      const viaLink = await run([`${bin}/upsc`, "-h"]);
      assert.deepEqual(viaLink, viaNut);
      const version = await run([`${bin}/nut`, "--version"]);
      assert.deepEqual(version, await runNut(["--version"]));
    });

    await t.step({
      name: "the unprivileged nut user runs them offline, with nothing extra on stderr",
      ignore: !(asRoot && haveNutUser),
      fn: async () => {
        // a fresh network namespace has no route anywhere: any download attempt would fail loudly
        // (containers that forbid namespaces still get the user and stderr checks)
        const offline = (await run(["unshare", "-n", "true"])).code === 0 ? ["unshare", "-n"] : [];
        for (const name of ["upsc", "nut"]) {
          const args = name === "nut" ? ["--version"] : ["-h"];
          const r = await run([
            ...offline,
            "setpriv",
            "--reuid=nut",
            "--regid=nut",
            "--clear-groups",
            "env",
            "-i",
            "PATH=/usr/bin:/bin",
            "HOME=/nonexistent",
            `${bin}/${name}`,
            ...args,
          ]);
          const want = await runNut(name === "nut" ? args : [name, ...args]);
          assert.equal(r.stderr, want.stderr, `${name} stderr`);
          assert.equal(r.stdout, want.stdout);
          assert.equal(r.code, want.code);
        }
      },
    });

    await t.step(
      "every bundled program runs from its prebuilt bundle, readable by all",
      async () => {
        for (const name of Object.keys(BUNDLED)) {
          const bundle = `${dir}/bin/.nut/${name}.js`;
          assert.equal((Deno.statSync(bundle).mode ?? 0) & 0o444, 0o444, name);
          // the same program: the same help, the same exit code
          assert.deepEqual(await run([`${bin}/${name}`, "-h"]), await runNut([name, "-h"]), name);
          // sh -x shows which exec ran: the bundle while fresh
          const traced = await run(["sh", "-x", `${bin}/${name}`, "-h"]);
          const exec = traced.stderr.split("\n").filter((l) => l.startsWith("+ exec "));
          assert.equal(exec.length, 1, traced.stderr);
          assert.ok(exec[0]!.includes(bundle) && exec[0]!.includes("--no-config"), exec[0]);
          // a daemon compiles once; a one-shot client reads V8's code cache
          assert.equal(exec[0]!.includes("--no-code-cache"), BUNDLED[name]!.daemon !== undefined);
        }
        // `nut links` filled that cache, so no user's first start compiles
        assert.ok(Deno.statSync(`${dir}/bin/.nut/deno/v8_code_cache_v2`).isFile);
      },
    );

    await t.step({
      name: "upsdrvctl's wrapper starts dummy-ups through its wrapper; all run their bundles",
      ignore: !asRoot,
      fn: async () => {
        await using sb = makeSandbox("nut-links-chain-");
        const dev = `${REPO}/conf/demo/apc-back-ups-bvk750m2.dev`;
        sb.writeConf("ups.conf", `[demo]\n  driver = dummy-ups\n  port = ${dev}\n`);
        const port = freePort();
        sb.writeConf("upsd.conf", `LISTEN 127.0.0.1 ${port}\n`);
        sb.writeConf("upsd.users", "");
        const env = { ...sb.env, PATH: "/usr/bin:/bin" };
        const cmdline = (pid: number) =>
          Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").join(" ");
        const pidIn = (f: string) => Number(Deno.readTextFileSync(`${sb.statePath}/${f}`).trim());
        const started = await run([`${bin}/upsdrvctl`, "-u", "root", "start"], { env });
        assert.equal(started.code, 0, started.stderr);
        const driver = pidIn("dummy-ups-demo.pid");
        try {
          assert.match(cmdline(driver), /\/\.nut\/dummy-ups\.js -a demo/);
          await using upsd = spawnDaemon([`${bin}/upsd`, "-F", "-u", "root"], { env });
          await waitFor(async () =>
            (await run([`${bin}/upsc`, `demo@127.0.0.1:${port}`, "ups.status"])).stdout === "OL\n"
          );
          assert.match(cmdline(upsd.pid), /\/\.nut\/upsd\.js -F/);
          // upslog goes to the background into its own bundle and logs a line
          const log = sb.path("ups.log");
          const logged = await run([
            `${bin}/upslog`,
            "-s",
            `demo@127.0.0.1:${port}`,
            "-l",
            log,
            "-i",
            "1",
            "-u",
            "root",
          ], { env });
          assert.equal(logged.code, 0, logged.stderr);
          await waitFor(() => exists(`${sb.statePath}/upslog.pid`));
          const upslog = pidIn("upslog.pid");
          try {
            assert.match(cmdline(upslog), /\/\.nut\/upslog\.js -s demo@/);
            await waitFor(() => exists(log) && / \[OL\] /.test(Deno.readTextFileSync(log)));
          } finally {
            Deno.kill(upslog, "SIGTERM");
            await waitFor(() => !exists(`/proc/${upslog}`));
          }
        } finally {
          const stopped = await run([`${bin}/upsdrvctl`, "stop"], { env });
          assert.equal(stopped.code, 0, stopped.stderr);
          await waitFor(() => !exists(`/proc/${driver}`));
        }
      },
    });

    await t.step("a re-run replaces our wrappers but never someone else's file", async () => {
      assert.equal((await runNut(["links", bin], { timeout: 120_000 })).code, 0);
      Deno.writeTextFileSync(`${bin}/upsc`, "#!/bin/sh\necho real upsc\n");
      const r = await runNut(["links", bin], { timeout: 120_000 });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /not replacing .*\/upsc \(not made by nut links; --force replaces\)/);
      assert.equal(Deno.readTextFileSync(`${bin}/upsc`), "#!/bin/sh\necho real upsc\n");
      assert.equal((await runNut(["links", bin, "--force"], { timeout: 120_000 })).code, 0);
      assert.ok(Deno.readTextFileSync(`${bin}/upsc`).includes(WRAPPER_MARK));
    });
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("the wrappers' launcher blocks SIGUSR1 so Deno never opens its debugger", async (t) => {
  const sigBlk = async (prefix: string): Promise<bigint> => {
    const r = await run(["/bin/sh", "-c", `${prefix} grep SigBlk /proc/self/status`]);
    assert.equal(r.code, 0, r.stderr);
    return (BigInt("0x" + r.stdout.trim().split(/\s+/)[1]) >> 9n) & 1n;
  };
  // without a launcher the same process has SIGUSR1 deliverable
  assert.equal(await sigBlk(""), 0n);
  const probed = launcherTools();
  const kinds: [string, LauncherTools][] = [["this machine's", probed]];
  // each kind the launcher can take, where this machine has its tool
  if (probed.envBlocksSignals) {
    kinds.push(["coreutils env", { envBlocksSignals: true, perl: false }]);
  }
  if (probed.perl) kinds.push(["perl", { envBlocksSignals: false, perl: true }]);
  assert.ok(kinds.length >= 2, "neither env --block-signal nor perl is here");
  for (const [name, tools] of kinds) {
    await t.step(name, async () => {
      const launcher = usr1BlockingLauncher(Deno.build.arch, tools);
      assert.ok(launcher, `no launcher for ${Deno.build.arch}`);
      assert.equal(await sigBlk(launcher), 1n, `SIGUSR1 not blocked by ${launcher}`);
    });
  }
  // coreutils' env is preferred: about 3 ms less per start than perl
  if (probed.envBlocksSignals) {
    assert.equal(usr1BlockingLauncher(Deno.build.arch), "'/usr/bin/env' '--block-signal=USR1'");
  }
});

Deno.test("nut links without DIR is a usage error", async () => {
  const r = await runNut(["links"]);
  assert.equal(r.code, 64);
  assert.match(r.stderr, /missing required argument 'DIR'/);
  assert.ok(Deno.statSync(`${REPO}/cli/commands/links.ts`).isFile);
});

/** Every page in man/, so a new page is checked the day it is added. */
const PAGES = [...Deno.readDirSync(`${REPO}/man`)]
  .filter((e) => e.isFile && /\.[1-8]$/.test(e.name))
  .map((e) => e.name)
  .sort();

Deno.test("the man pages render without a single groff warning", async (t) => {
  assert.ok(PAGES.length >= 20, `only ${PAGES.length} man pages found`);
  for (const page of PAGES) {
    await t.step(page, async () => {
      const path = `${REPO}/man/${page}`;
      const g = await run(["groff", "-ww", "-z", "-man", path]);
      assert.equal(g.stderr, "");
      assert.equal(g.code, 0);
      const m = await run(["man", "-l", path], { env: { MANWIDTH: "80", PATH: "/usr/bin:/bin" } });
      assert.equal(m.stderr, "");
      assert.match(m.stdout, /^NAME$/m);
      assert.match(m.stdout, /^SEE ALSO$/m);
    });
  }
});
