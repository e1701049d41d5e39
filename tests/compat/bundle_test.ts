/**
 * The bundled programs (cli/bundle.ts): used only while fresh; upsd answers
 * exactly as Debian's upsd for the same drivers and backgrounds into its
 * bundle again; the bundled dummy-ups serves what Debian's does; the bundled
 * upsc, upscmd and upsrw print what Debian's do.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import {
  buildBundle,
  bundleArgv,
  BUNDLED,
  bundleFresh,
  freshTestShell,
  SOURCE_DEPTH,
  SOURCE_DIRS,
} from "../../cli/bundle.ts";
import { REPO, run, runNut } from "../_helpers/process.ts";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { waitFor } from "../_helpers/wait.ts";
import { dialog, SHARED, startPair } from "./upsd_harness.ts";
import { exists } from "../_helpers/fs.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

/** A checkout-shaped directory: one .ts file four levels down in each source dir. */
function fakeRepo(): string {
  const d = Deno.makeTempDirSync({ prefix: "nut-bundle-" });
  for (const s of SOURCE_DIRS) {
    Deno.mkdirSync(`${d}/${s}/a/b/deep`, { recursive: true });
    Deno.writeTextFileSync(`${d}/${s}/a/b/deep/a.ts`, "export {};\n");
  }
  return d;
}

async function shellSaysFresh(bundle: string, repo: string): Promise<boolean> {
  const q = (s: string) => `'${s}'`;
  const test = freshTestShell(q(bundle), q(repo));
  const r = await run(["sh", "-c", `${test}\nif [ -n "$fresh" ]; then echo fresh; fi`]);
  assertEquals(r.code, 0, r.stderr);
  return r.stdout === "fresh\n";
}

Deno.test("every source file lies within the depth the freshness checks look at", () => {
  const deepest = (dir: string, depth: number): number => {
    let max = depth;
    for (const e of Deno.readDirSync(dir)) {
      if (e.isDirectory) max = Math.max(max, deepest(`${dir}/${e.name}`, depth + 1));
    }
    return max;
  };
  for (const d of SOURCE_DIRS) ok(deepest(`${REPO}/${d}`, 1) <= SOURCE_DEPTH, d);
});

Deno.test("a bundle is used only while newer than every source (TS check and wrapper's sh agree)", async () => {
  const repo = fakeRepo();
  try {
    const bundle = `${repo}/upsd.js`;
    const at = (p: string, s: number) => Deno.utimeSync(p, s, s);
    assertEquals([bundleFresh(bundle, repo), await shellSaysFresh(bundle, repo)], [false, false]);
    Deno.writeTextFileSync(bundle, "// bundle\n");
    for (const s of SOURCE_DIRS) at(`${repo}/${s}/a/b/deep/a.ts`, 1_000_000);
    at(bundle, 2_000_000);
    assertEquals([bundleFresh(bundle, repo), await shellSaysFresh(bundle, repo)], [true, true]);
    // one source edited after the build, however deep: stale
    at(`${repo}/${SOURCE_DIRS[1]}/a/b/deep/a.ts`, 3_000_000);
    assertEquals([bundleFresh(bundle, repo), await shellSaysFresh(bundle, repo)], [false, false]);
    // files that are not TypeScript do not count
    at(`${repo}/${SOURCE_DIRS[1]}/a/b/deep/a.ts`, 1_000_000);
    Deno.writeTextFileSync(`${repo}/${SOURCE_DIRS[0]}/notes.md`, "x\n");
    at(`${repo}/${SOURCE_DIRS[0]}/notes.md`, 3_000_000);
    assertEquals([bundleFresh(bundle, repo), await shellSaysFresh(bundle, repo)], [true, true]);
  } finally {
    Deno.removeSync(repo, { recursive: true });
  }
});

compatTest(
  "the bundled upsd, clients and upsmon work as Debian's; daemons background into their bundle",
  async (t) => {
    const dir = Deno.makeTempDirSync({ prefix: "nut-bundle-" });
    try {
      const bundle = `${dir}/upsd.js`;
      assertEquals(await buildBundle(Deno.execPath(), REPO, BUNDLED.upsd!.entry, bundle), null);
      ok(bundleFresh(bundle, REPO));
      const help = await run([...bundleArgv(bundle, BUNDLED.upsd!), "-h"]);
      assertEquals(help, await runNut(["upsd", "-h"]));

      const dumps = ["APC", "Eaton", "Cyber_Power_Systems"].map((vendor) => {
        const f = [...Deno.readDirSync(`${SHARED}/data/ddl/${vendor}`)]
          .map((e) => e.name).filter((n) => n.endsWith(".dev")).sort()[0]!;
        return `${SHARED}/data/ddl/${vendor}/${f}`;
      });
      await t.step("same replies as Debian's upsd for the same drivers", async () => {
        await using pair = await startPair(
          dumps.map((dev, i) => ({ name: `u${i + 1}`, dev })),
          { upsdArgv: bundleArgv(bundle, BUNDLED.upsd!) },
        );
        ok(Deno.readTextFileSync(`/proc/${pair.ours.pid}/cmdline`).includes(bundle));
        const lines = ["VER", "LIST UPS", "HELP", "GET VAR nosuch ups.status", "LOGIN u1"];
        for (let i = 1; i <= dumps.length; i++) {
          lines.push(
            `LIST VAR u${i}`,
            `LIST RW u${i}`,
            `LIST CMD u${i}`,
            `GET TYPE u${i} ups.status`,
          );
        }
        assertEquals(await dialog(pair.ourPort, lines), await dialog(pair.realPort, lines));

        // the bundled clients against the bundled upsd = Debian's clients against Debian's upsd
        const clients: Record<string, string> = {};
        for (const name of ["upsc", "upscmd", "upsrw"]) {
          clients[name] = `${dir}/${name}.js`;
          assertEquals(
            await buildBundle(Deno.execPath(), REPO, BUNDLED[name]!.entry, clients[name]!),
            null,
          );
        }
        const forms = (port: number) => [
          ["upsc", `u1@127.0.0.1:${port}`],
          ["upsc", `u2@127.0.0.1:${port}`, "ups.status"],
          ["upsc", "-l", `127.0.0.1:${port}`],
          ["upsc", `nosuch@127.0.0.1:${port}`],
          ["upscmd", "-l", `u3@127.0.0.1:${port}`],
          ["upsrw", `u1@127.0.0.1:${port}`],
        ];
        const real = forms(pair.realPort);
        const ours = forms(pair.ourPort);
        for (let i = 0; i < real.length; i++) {
          const [name, ...args] = ours[i]!;
          const got = await run([...bundleArgv(clients[name!]!, BUNDLED[name!]!), ...args]);
          const want = await run([REAL[name as "upsc"], ...real[i]!.slice(1)]);
          const norm = (x: string, port: number) => x.replaceAll(String(port), "<PORT>");
          assertEquals(
            [got.code, norm(got.stdout, pair.ourPort), norm(got.stderr, pair.ourPort)],
            [want.code, norm(want.stdout, pair.realPort), norm(want.stderr, pair.realPort)],
            ours[i]!.join(" "),
          );
        }
      });

      await t.step("the bundled dummy-ups serves what Debian's dummy-ups serves", async () => {
        const drv = `${dir}/dummy-ups.js`;
        const program = BUNDLED["dummy-ups"]!;
        assertEquals(await buildBundle(Deno.execPath(), REPO, program.entry, drv), null);
        assertEquals(
          await run([...bundleArgv(drv, program), "-h"]),
          await runNut(["dummy-ups", "-h"]),
        );
        const upses = dumps.map((dev, i) => ({ name: `u${i + 1}`, dev }));
        // Debian's driver and upsd; then the bundled driver and upsd
        await using debian = await startPair(upses, {
          upsdArgv: bundleArgv(bundle, BUNDLED.upsd!),
        });
        await using bundled = await startPair(upses, {
          real: false,
          driver: "nut",
          driverArgv: bundleArgv(drv, program),
          upsdArgv: bundleArgv(bundle, BUNDLED.upsd!),
        });
        // one driver process per UPS, each running the bundle
        const running = [...Deno.readDirSync("/proc")].filter((e) => /^\d+$/.test(e.name))
          .filter((e) => {
            try {
              return Deno.readTextFileSync(`/proc/${e.name}/cmdline`).includes(`${drv}\0-a\0u`);
            } catch (err) {
              if (err instanceof Deno.errors.NotFound) return false; // exited meanwhile
              throw err;
            }
          });
        assertEquals(running.length, dumps.length);
        const lines = upses.flatMap((
          u,
        ) => [`LIST VAR ${u.name}`, `LIST RW ${u.name}`, `LIST CMD ${u.name}`]);
        assertEquals(await dialog(bundled.ourPort, lines), await dialog(debian.realPort, lines));
      });

      await t.step(
        "the bundled upsmon logs in as primary and backgrounds into its bundle",
        async () => {
          const mon = `${dir}/upsmon.js`;
          assertEquals(await buildBundle(Deno.execPath(), REPO, BUNDLED.upsmon!.entry, mon), null);
          assertEquals(
            await run([...bundleArgv(mon, BUNDLED.upsmon!), "-h"]),
            await runNut(["upsmon", "-h"]),
          );
          await using pair = await startPair([{ name: "u1", dev: dumps[0]! }], {
            real: false,
            upsdArgv: bundleArgv(bundle, BUNDLED.upsd!),
          });
          const conf = pair.sandbox.path("mon");
          Deno.mkdirSync(conf);
          Deno.writeTextFileSync(
            `${conf}/upsmon.conf`,
            `MONITOR u1@127.0.0.1:${pair.ourPort} 1 mon pw primary\nMINSUPPLIES 1\n` +
              `SHUTDOWNCMD "/bin/true"\nPOWERDOWNFLAG ${conf}/killpower\n`,
            { mode: 0o640 },
          );
          const env = { ...pair.sandbox.env, NUT_CONFPATH: conf };
          const pidfile = `${conf}/upsmon.pid`;
          const started = await run([...bundleArgv(mon, BUNDLED.upsmon!), "--pidfile", pidfile], {
            env,
          });
          assertEquals(started.code, 0, started.stderr);
          const pid = Number(Deno.readTextFileSync(pidfile).trim());
          try {
            ok(Deno.readTextFileSync(`/proc/${pid}/cmdline`).includes(mon));
            await waitFor(async () =>
              (await dialog(pair.ourPort, ["GET NUMLOGINS u1"]))[0] === "NUMLOGINS u1 1"
            );
          } finally {
            const stop = await run([
              ...bundleArgv(mon, BUNDLED.upsmon!),
              "-c",
              "stop",
              "--pidfile",
              pidfile,
            ], {
              env,
            });
            assertEquals(stop.code, 0, stop.stderr);
            await waitFor(() => !exists(`/proc/${pid}`));
          }
        },
      );

      await t.step("without -F the detached child runs the same bundle", async () => {
        await using pair = await startPair([{ name: "u1", dev: dumps[0]! }], {
          real: false,
          waitData: false,
          upsdArgv: bundleArgv(bundle, BUNDLED.upsd!),
          upsdFlags: [],
        });
        const conf = pair.sandbox.path("ours");
        assertEquals((await pair.ours.status).code, 0);
        const pid = Number(Deno.readTextFileSync(`${conf}/upsd.pid`).trim());
        try {
          ok(Deno.readTextFileSync(`/proc/${pid}/cmdline`).includes(bundle));
          // SIGUSR1 is blocked in the child too (bit 9 of the blocked mask)
          const blk = /^SigBlk:\s+([0-9a-f]+)$/m.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
          ok(blk && (BigInt(`0x${blk[1]}`) & (1n << 9n)) !== 0n, "SIGUSR1 blocked");
          await waitFor(async () =>
            (await dialog(pair.ourPort, ["VER"]))[0]?.startsWith("Network")
          );
        } finally {
          Deno.kill(pid, "SIGTERM");
          await waitFor(() => !exists(`/proc/${pid}`));
        }
      });
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
  opts,
);
