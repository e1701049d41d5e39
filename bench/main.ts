/**
 * `deno task bench [--quick]`: `nut upsd` side by side with Debian's upsd
 * 2.8.0 in the same run — the same device dump, served by one real
 * dummy-ups that both servers read, the same load generator
 * (../shared/tools/nutload.mjs, run with node), loopback only, bounded
 * (about 3 min; --quick about 1.5 min). `nut upsd` runs as users run it:
 * the `upsd` wrapper of `nut links`.
 *
 * Both servers get an unmeasured warm-up first (JIT, caches). Each cell
 * (request × connections) is then measured in several rounds that alternate
 * which server goes first; the table shows each server's median req/s,
 * p50/p99, server CPU per request (user + system, from /proc) and the load
 * generator's own CPU. When that is near 100 % the figure is the client's
 * limit, not the server's: the CPU column then compares the servers.
 *
 * Then one-shot `upsc` wall times, server RSS (idle — after the daemon's
 * start-up collection — under 64-connection load, idle again after the
 * load (the daemon's after-burst collection), with 2,000 idle
 * connections), the ratios and the issue's targets.
 *
 * @module
 */

import { CHECK_MS, SETTLE_MS } from "../cli/settle.ts";
import {
  cpuMs,
  type LoadResult,
  NUT,
  nutload,
  pssKb,
  REAL,
  REPO,
  rssKb,
  rssSplitKb,
  sampleRss,
  startStack,
  wall,
} from "./_setup.ts";

const quick = Deno.args.includes("--quick");
const DURATION = quick ? 1.5 : 3;
const ROUNDS = quick ? 2 : 3;
const RUNS = quick ? 5 : 11;
const enc = new TextEncoder();
const say = (s: string) => Deno.stdout.writeSync(enc.encode(s + "\n"));
const f1 = (x: number) => x.toFixed(1);
const f3 = (x: number) => x.toFixed(3);
const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : "n/a");
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** One measured run against one server. */
interface Sample {
  rps: number;
  p50: number;
  p99: number;
  /** server CPU per request, µs */
  cpuUs: number;
  /** load generator CPU, % of one core */
  client: number;
  /** max RSS seen during the run, kB */
  maxRss: number;
}

/** Medians over rounds. */
function summarize(xs: Sample[]): Sample {
  const m = (k: keyof Sample) => median(xs.map((x) => x[k]));
  return {
    rps: m("rps"),
    p50: m("p50"),
    p99: m("p99"),
    cpuUs: m("cpuUs"),
    client: m("client"),
    maxRss: Math.max(...xs.map((x) => x.maxRss)),
  };
}

async function measure(
  port: number,
  pid: number,
  conns: number,
  cmd: string,
  duration: number,
): Promise<Sample> {
  const smp = sampleRss(pid);
  const c0 = cpuMs(pid);
  const r = await nutload<LoadResult>([
    "--port",
    String(port),
    "-c",
    String(conns),
    "-r",
    "100000000",
    "--duration",
    String(duration),
    "--warmup",
    "20",
    "--cmd",
    cmd,
  ]);
  const c1 = cpuMs(pid);
  const maxRss = smp.stop();
  if (r.errors > 0) throw new Error(`${cmd} on ${port}: ${r.errors} errors`);
  const cpu = c1.user + c1.sys - (c0.user + c0.sys);
  return {
    rps: r.rps,
    p50: r.lat_ms.p50,
    p99: r.lat_ms.p99,
    cpuUs: r.completed > 0 ? (cpu * 1000) / r.completed : 0,
    client: r.client_cpu_pct,
    maxRss,
  };
}

const dev = `${REPO}/conf/demo/apc-back-ups-bvk750m2.dev`;
say(
  `bench: nut upsd vs Debian's upsd 2.8.0${quick ? " (quick)" : ""}; dump ${dev.split("/").pop()}`,
);
const s = await startStack(dev);
say(
  `driver: ${s.driver}; nut upsd :${s.ourPort} (pid ${s.ourPid}, via ${s.bin}/upsd)` +
    (s.realPort ? `; real upsd :${s.realPort} (pid ${s.realPid})` : "; real upsd: not installed"),
);

try {
  // idle: after upsd's one start-up collection, with a quiet moment after it
  const settled = s.ourStart + SETTLE_MS + 3000;
  await new Promise((r) => setTimeout(r, Math.max(0, settled - performance.now())));
  const idle = { ours: rssKb(s.ourPid).rss, real: s.realPid ? rssKb(s.realPid).rss : undefined };
  const idleSplit = rssSplitKb(s.ourPid);
  const idlePss = { ours: pssKb(s.ourPid), real: s.realPid ? pssKb(s.realPid) : undefined };

  const servers: { name: "ours" | "real"; port: number; pid: number }[] = [
    { name: "ours", port: s.ourPort, pid: s.ourPid },
  ];
  if (s.realPort && s.realPid) servers.push({ name: "real", port: s.realPort, pid: s.realPid });

  const requests = [
    ["GET VAR", `GET VAR ${s.ups} ups.status`],
    ["LIST VAR", `LIST VAR ${s.ups}`],
  ] as const;
  // warm-up, unmeasured: both servers, both requests
  for (const sv of servers) {
    for (const [, cmd] of requests) await measure(sv.port, sv.pid, 16, cmd, 1);
  }

  type Row = { what: string; conns: number; ours: Sample; real?: Sample };
  const rows: Row[] = [];
  for (const [what, cmd] of requests) {
    for (const conns of [1, 16, 64]) {
      const got: Record<string, Sample[]> = { ours: [], real: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const sv of order) {
          got[sv.name]!.push(await measure(sv.port, sv.pid, conns, cmd, DURATION));
        }
      }
      rows.push({
        what,
        conns,
        ours: summarize(got.ours!),
        real: got.real!.length ? summarize(got.real!) : undefined,
      });
    }
  }
  const loadEnd = performance.now();
  const loadRss = Math.max(...rows.filter((r) => r.conns === 64).map((r) => r.ours.maxRss));
  const loadRssReal = Math.max(
    0,
    ...rows.filter((r) => r.conns === 64).map((r) => r.real?.maxRss ?? 0),
  );

  // one-shot clients, through the wrappers users run
  const host = (port: number) => `${s.ups}@127.0.0.1:${port}`;
  const nutUpsc = [`${s.bin}/upsc`];
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

  // idle again: the after-burst collection (cli/settle.ts) has had two looks
  const quietAt = loadEnd + 2 * CHECK_MS + 1000;
  await new Promise((r) => setTimeout(r, Math.max(0, quietAt - performance.now())));
  const idleAgain = {
    ours: rssKb(s.ourPid).rss,
    real: s.realPid ? rssKb(s.realPid).rss : undefined,
  };
  const againSplit = rssSplitKb(s.ourPid);

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
  say(
    `load (nutload.mjs, one request outstanding per connection; median of ${ROUNDS} rounds of ` +
      `${DURATION} s, alternating which server goes first)`,
  );
  say(
    "request    conns |  nut upsd req/s  p50 ms  p99 ms µs/req cli% |  real upsd req/s  p50 ms  p99 ms µs/req cli% | req/s ratio",
  );
  const cells = (x: Sample | undefined) =>
    x
      ? `${f1(x.rps).padStart(15)} ${f3(x.p50).padStart(7)} ${f3(x.p99).padStart(7)} ${
        f1(x.cpuUs).padStart(6)
      } ${x.client.toFixed(0).padStart(4)}`
      : "n/a".padStart(15).padEnd(43);
  for (const r of rows) {
    say(
      `${r.what.padEnd(10)} ${String(r.conns).padStart(5)} | ${cells(r.ours)} | ${
        cells(r.real)
      } | ${ratio(r.ours.rps, r.real?.rps)}`,
    );
  }
  say(
    "µs/req: server CPU (user + system) per request; cli%: the load generator's CPU (≈100 %: " +
      "the figure is the client's limit)",
  );
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
    `idle PSS (shared pages split)      ${mb(idlePss.ours).padStart(8)}   ${
      mb(idlePss.real).padStart(9)
    }`,
  );
  say(
    `max under 64-connection load       ${mb(loadRss).padStart(8)}   ${
      mb(loadRssReal).padStart(9)
    }`,
  );
  const after = `idle again, ${((quietAt - loadEnd) / 1000).toFixed(0)} s after the load`;
  say(`${after.padEnd(34)} ${mb(idleAgain.ours).padStart(8)}   ${mb(idleAgain.real).padStart(9)}`);
  say(
    `  = private ${mb(againSplit.anon)} (idle: ${mb(idleSplit.anon)}) + ${
      mb(againSplit.file)
    } of deno executable pages (idle: ${mb(idleSplit.file)}: code first run under load)`,
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
  const bound = (x: Sample) => (x.client >= 95 ? " (client-bound)" : "");
  say("");
  say("targets (issue 4)");
  say(
    `GET VAR ≥ 1.0× real upsd at 64 conns        ${
      ratio(get64.ours.rps, get64.real?.rps).padStart(8)
    }  ${get64.real ? check(get64.ours.rps >= get64.real.rps) : "n/a"}${bound(get64.ours)}`,
  );
  if (get64.real) {
    say(
      `  server CPU per GET at 64 conns            ${f1(get64.ours.cpuUs).padStart(5)} µs vs ${
        f1(get64.real.cpuUs)
      } µs (${ratio(get64.real.cpuUs, get64.ours.cpuUs)} real's efficiency)`,
    );
  }
  say(
    `LIST VAR p50 ≤ 1 ms (all conn counts)       ${
      f3(Math.max(...list.map((r) => r.ours.p50))).padStart(8)
    }  ${check(list.every((r) => r.ours.p50 <= 1))}`,
  );
  say(
    `LIST VAR ≥ 50× real upsd req/s at 64 conns  ${
      ratio(list64.ours.rps, list64.real?.rps).padStart(8)
    }  ${list64.real ? check(list64.ours.rps >= 50 * list64.real.rps) : "n/a"}${
      bound(list64.ours)
    }`,
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
