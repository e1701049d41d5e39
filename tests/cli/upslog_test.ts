/**
 * `nut upslog` argument handling beyond NUT 2.8.0 (-m, --format, --once).
 * @module
 */

import assert from "node:assert/strict";
import { memoryIo } from "../../cli/io.ts";
import { run } from "../../cli/commands/upslog.ts";
import { simpleUpsd, tcpUpsd } from "../core/client/_fake_upsd.ts";

async function upslog(args: string[]) {
  const io = memoryIo();
  const code = await run(args, io, "upslog");
  return { code, stdout: io.out.join(""), stderr: io.err.join("") };
}

Deno.test("upslog -m needs exactly ups,logfile (NUT 2.8.1's text)", async () => {
  for (const m of ["ups", "a,b,c"]) {
    assert.deepEqual(await upslog(["-m", m]), {
      code: 1,
      stdout: "Network UPS Tools upslog 2.8.0\n",
      stderr: "Argument '-m upsspec,logfile' requires exactly 2 components in the tuple\n",
    });
  }
});

Deno.test("upslog --format rejects an unknown style", async () => {
  const r = await upslog(["--once", "--format", "xml", "-s", "u", "-l", "-"]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "Unknown --format 'xml' (expected text, csv or json)\n");
});

Deno.test("upslog --once writes one line per UPS and nothing else", async () => {
  await using srv = tcpUpsd(simpleUpsd({ "ups.status": "OB LB" }));
  const h = `127.0.0.1:${srv.port}`;
  const r = await upslog([
    "--once",
    "-m",
    `ups@${h},-`,
    "-m",
    `ups@${h},-`,
    "-f",
    "[%VAR ups.status%]",
  ]);
  assert.deepEqual(r, { code: 0, stdout: "[OB LB]\n[OB LB]\n", stderr: "" });
});
