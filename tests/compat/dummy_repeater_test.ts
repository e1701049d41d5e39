/**
 * Repeater mode: `port = ups@host:port`. A real upsd serves a real
 * dummy-ups "source"; our dummy-ups and Debian's repeat it, each behind its
 * own real upsd. Both repeat the same listing, follow a change upstream, and
 * keep serving the last data when the upstream server goes away.
 */

import assert from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { makeSandbox } from "../_helpers/sandbox.ts";
import { run } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";
import {
  SHARED,
  startDriver,
  startRealUpsd,
  upsc,
  upscWhenReady,
  waitSocket,
  writeConfs,
} from "../drivers/_nut_stack.ts";

compatTest("dummy-ups repeater mode matches real dummy-ups through real upsd", async () => {
  await using src = makeSandbox("nut-rep-src-");
  const srcPort = writeConfs(src, [{
    name: "src",
    driver: "dummy-ups",
    port: `${SHARED}data/nut/evolution500.seq`,
    extra: ["mode = dummy-once"],
  }]);
  src.writeConf("upsd.users", "[admin]\n\tpassword = pw\n\tactions = SET\n");
  await using _srcDriver = startDriver(src, "real", "src");
  await waitSocket(src, "dummy-ups", "src");
  const srcUpsd = await startRealUpsd(src);
  try {
    await upscWhenReady(`src@127.0.0.1:${srcPort}`);
    const repeated = [{ name: "rep", driver: "dummy-ups", port: `src@127.0.0.1:${srcPort}` }];
    await using realSb = makeSandbox("nut-rep-real-");
    await using ourSb = makeSandbox("nut-rep-ours-");
    const realPort = writeConfs(realSb, repeated);
    const ourPort = writeConfs(ourSb, repeated);
    await using _r = startDriver(realSb, "real", "rep");
    await using _o = startDriver(ourSb, "ours", "rep");
    await Promise.all([
      waitSocket(realSb, "dummy-ups", "rep"),
      waitSocket(ourSb, "dummy-ups", "rep"),
    ]);
    await using _ru = await startRealUpsd(realSb);
    await using _ou = await startRealUpsd(ourSb);
    const realT = `rep@127.0.0.1:${realPort}`;
    const ourT = `rep@127.0.0.1:${ourPort}`;
    const same = async () => {
      const [a, b] = await Promise.all([upscWhenReady(realT), upscWhenReady(ourT)]);
      return a === b ? a : undefined;
    };
    const first = await waitFor(same, { timeout: 20_000, what: "identical repeated listings" });
    assert.match(first, /^driver\.parameter\.mode: repeater$/m);
    assert.match(first, /^ups\.model: Pulsar Evolution 500$/m);

    // a change upstream reaches both repeaters
    const set = await run([
      REAL.upsrw,
      "-s",
      "ups.serial=CHANGED1",
      "-u",
      "admin",
      "-p",
      "pw",
      `src@127.0.0.1:${srcPort}`,
    ]);
    assert.equal(set.code, 0, set.stderr);
    for (const t of [realT, ourT]) {
      await waitFor(async () => (await upsc(t, "ups.serial")).stdout === "CHANGED1\n", {
        timeout: 20_000,
        what: `repeated change at ${t}`,
      });
    }
    const after = await waitFor(same, { timeout: 20_000, what: "identical after the change" });

    // upstream gone: both keep serving the last data (2.8.0 never marks it stale)
    await srcUpsd[Symbol.asyncDispose]();
    const [a, b] = await Promise.all([upsc(realT), upsc(ourT)]);
    assert.equal(b.stdout, a.stdout);
    assert.equal(b.stdout, after);
  } finally {
    await srcUpsd[Symbol.asyncDispose]();
  }
}, { sanitizeResources: false, sanitizeOps: false });
