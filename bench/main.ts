/**
 * `deno task bench [--quick]`: `nut upsd` side by side with Debian's upsd
 * 2.8.0 in the same run — the same device dump, served by one real
 * dummy-ups that both servers read, the same load generator
 * (../shared/tools/nutload.mjs, run with node), loopback only, bounded
 * (about 1.5 min; --quick about 40 s). Prints req/s and p50/p99 for GET VAR
 * and LIST VAR at 1/16/64 connections, one-shot `upsc` wall times, server
 * RSS (idle, under 64-connection load, with 2,000 idle connections), the
 * ratios and the issue's targets.
 *
 * @module
 */

import {
  MAIN,
  NUT,
  nutload,
  REAL,
  REPO,
  rssKb,
  rssSplitKb,
  sampleRss,
  startStack,
  wall,
} from "./_setup.ts";

const quick = Deno.args.includes("--quick");
const DURATION = quick ? 2 : 4;
const RUNS = quick ? 5 : 11;
const enc = new TextEncoder();
const say = (s: string) => Deno.stdout.writeSync(enc.encode(s + "\n"));
const f1 = (x: number) => x.toFixed(1);
const f3 = (x: number) => x.toFixed(3);
const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : "n/a");

const dev = `${REPO}/conf/demo/apc-back-ups-bvk750m2.dev`;
say(
  `bench: nut upsd vs Debian's upsd 2.8.0${quick ? " (quick)" : ""}; dump ${dev.split("/").pop()}`,
);
const s = await startStack(dev);
say(
  `driver: ${s.driver}; nut upsd :${s.ourPort} (pid ${s.ourPid})` +
    (s.realPort ? `; real upsd :${s.realPort} (pid ${s.realPid})` : "; real upsd: not installed"),
);

try {
  await new Promise((r) => setTimeout(r, 1500));
  const idle = { ours: rssKb(s.ourPid).rss, real: s.realPid ? rssKb(s.realPid).rss : undefined };
  const idleSplit = rssSplitKb(s.ourPid);

  type Row = {
    what: string;
    conns: number;
    ours: { rps: number; p50: number; p99: number };
    real?: { rps: number; p50: number; p99: number };
  };
  const rows: Row[] = [];
  let loadRss = 0;
  let loadRssReal = 0;
  for (
    const [what, cmd] of [["GET VAR", `GET VAR ${s.ups} ups.status`], [
      "LIST VAR",
      `LIST VAR ${s.ups}`,
    ]] as const
  ) {
    for (const conns of [1, 16, 64]) {
      const run = async (port: number, pid: number) => {
        const smp = sampleRss(pid);
        const r = await nutload([
          "--port",
          String(port),
          "-c",
          String(conns),
          "-r",
          "100000000",
          "--duration",
          String(DURATION),
          "--warmup",
          "20",
          "--cmd",
          cmd,
        ]);
        const max = smp.stop();
        if (r.errors > 0) throw new Error(`${what} on ${port}: ${r.errors} errors`);
        return { rps: r.rps, p50: r.lat_ms.p50, p99: r.lat_ms.p99, max };
      };
      const ours = await run(s.ourPort, s.ourPid);
      const real = s.realPort && s.realPid ? await run(s.realPort, s.realPid) : undefined;
      if (conns === 64) {
        loadRss = Math.max(loadRss, ours.max);
        loadRssReal = Math.max(loadRssReal, real?.max ?? 0);
      }
      rows.push({ what, conns, ours, real });
    }
  }

  // one-shot clients
  const host = (port: number) => `${s.ups}@127.0.0.1:${port}`;
  const nutUpsc = [...NUT, MAIN, "upsc"];
  const hello = `${s.dir}/hello.ts`;
  Deno.writeTextFileSync(hello, 'console.log("hello");\n');
  const helloMs = await wall([...NUT, hello], s.env, RUNS);
  const upscVarOurs = await wall([...nutUpsc, host(s.ourPort), "ups.status"], s.env, RUNS);
  const upscAllOurs = await wall([...nutUpsc, host(s.ourPort)], s.env, RUNS);
  const upscVarReal = s.realPort
    ? await wall([REAL.upsc, host(s.realPort), "ups.status"], s.env, RUNS)
    : undefined;
  const upscAllReal = s.realPort
    ? await wall([REAL.upsc, host(s.realPort)], s.env, RUNS)
    : undefined;

  // 2,000 idle connections
  const idleConns = async (port: number, pid: number) => {
    const smp = sampleRss(pid);
    const r = await nutload<{ answered: number }>([
      "--port",
      String(port),
      "--idle",
      "2000",
      "--handshake",
      "VER",
      "--hold",
      "2",
      "--max-time",
      "50",
    ]);
    return { answered: r.answered, rss: smp.stop() };
  };
  const idle2k = await idleConns(s.ourPort, s.ourPid);
  const idle2kReal = s.realPort && s.realPid ? await idleConns(s.realPort, s.realPid) : undefined;

  say("");
  say("load (nutload.mjs, one request outstanding per connection, " + `${DURATION} s each)`);
  say(
    "request    conns |   nut upsd req/s   p50 ms   p99 ms |  real upsd req/s   p50 ms   p99 ms | req/s ratio",
  );
  for (const r of rows) {
    say(
      `${r.what.padEnd(10)} ${String(r.conns).padStart(5)} | ${f1(r.ours.rps).padStart(16)} ${
        f3(r.ours.p50).padStart(8)
      } ${f3(r.ours.p99).padStart(8)} | ` +
        (r.real
          ? `${f1(r.real.rps).padStart(16)} ${f3(r.real.p50).padStart(8)} ${
            f3(r.real.p99).padStart(8)
          }`
          : "             n/a".padEnd(34)) +
        ` | ${ratio(r.ours.rps, r.real?.rps)}`,
    );
  }
  say("");
  say(`one-shot wall, median of ${RUNS}          nut upsc    real upsc   ratio`);
  say(
    `upsc ups ups.status               ${f1(upscVarOurs).padStart(8)} ms ${
      upscVarReal ? f1(upscVarReal).padStart(8) + " ms" : "     n/a"
    }   ${ratio(upscVarOurs, upscVarReal)}`,
  );
  say(
    `upsc ups                          ${f1(upscAllOurs).padStart(8)} ms ${
      upscAllReal ? f1(upscAllReal).padStart(8) + " ms" : "     n/a"
    }   ${ratio(upscAllOurs, upscAllReal)}`,
  );
  say(`deno run hello-world              ${f1(helloMs).padStart(8)} ms`);
  say("");
  say("server RSS                         nut upsd    real upsd");
  const mb = (kb: number | undefined) => (kb ? `${(kb / 1024).toFixed(1)} MB` : "n/a");
  say(
    `idle                               ${mb(idle.ours).padStart(8)}   ${
      mb(idle.real).padStart(9)
    }`,
  );
  say(
    `  nut upsd idle = private ${mb(idleSplit.anon)} + ${
      mb(idleSplit.file)
    } of deno executable pages (RssFile, shared between deno processes)`,
  );
  say(
    `max under 64-connection load       ${mb(loadRss).padStart(8)}   ${
      mb(loadRssReal).padStart(9)
    }`,
  );
  say(
    `2,000 idle connections (max)       ${mb(idle2k.rss).padStart(8)}   ${
      mb(idle2kReal?.rss).padStart(9)
    }   (answered ${idle2k.answered}${idle2kReal ? ` / ${idle2kReal.answered}` : ""} of 2000)`,
  );

  const get64 = rows.find((r) => r.what === "GET VAR" && r.conns === 64)!;
  const list = rows.filter((r) => r.what === "LIST VAR");
  const list64 = list.find((r) => r.conns === 64)!;
  const check = (ok: boolean) => (ok ? "met" : "NOT met");
  say("");
  say("targets (issue 4)");
  say(
    `GET VAR ≥ 1.0× real upsd at 64 conns        ${
      ratio(get64.ours.rps, get64.real?.rps).padStart(8)
    }  ${get64.real ? check(get64.ours.rps >= get64.real.rps) : "n/a"}`,
  );
  say(
    `LIST VAR p50 ≤ 1 ms (all conn counts)       ${
      f3(Math.max(...list.map((r) => r.ours.p50))).padStart(8)
    }  ${check(list.every((r) => r.ours.p50 <= 1))}`,
  );
  say(
    `LIST VAR ≥ 50× real upsd req/s at 64 conns  ${
      ratio(list64.ours.rps, list64.real?.rps).padStart(8)
    }  ${list64.real ? check(list64.ours.rps >= 50 * list64.real.rps) : "n/a"}`,
  );
  say(
    `upsc ups var ≤ 1.5× deno hello-world        ${ratio(upscVarOurs, helloMs).padStart(8)}  ${
      check(upscVarOurs <= 1.5 * helloMs)
    }`,
  );
  say(
    `upsc ups faster than real upsc               ${ratio(upscAllOurs, upscAllReal).padStart(8)}  ${
      upscAllReal ? check(upscAllOurs < upscAllReal) : "n/a"
    }`,
  );
  say(
    `RSS idle ≤ 40 MB                            ${mb(idle.ours).padStart(8)}  ${
      check(idle.ours <= 40 * 1024)
    }`,
  );
  say(
    `RSS under load ≤ 64 MB                      ${mb(loadRss).padStart(8)}  ${
      check(loadRss <= 64 * 1024)
    }`,
  );
  say(
    `RSS with 2,000 connections ≤ 128 MB         ${mb(idle2k.rss).padStart(8)}  ${
      check(idle2k.rss <= 128 * 1024)
    }`,
  );
} finally {
  await s.stop();
}
