/**
 * `nut upscmd` against a scripted server: tracking to completion, tracking
 * refused, descriptions missing, JSON listing.
 * @module
 */

import assert from "node:assert/strict";
import { memoryIo } from "../../cli/io.ts";
import { run } from "../../cli/commands/upscmd.ts";
import { type Handler, tcpUpsd } from "../core/client/_fake_upsd.ts";

const ID = "1BD31808-CB49-4AEC-9D75-D056E6F018D2";

async function upscmd(handler: Handler, args: (h: string) => string[]) {
  await using srv = tcpUpsd(handler);
  const io = memoryIo();
  const code = await run(args(`ups@127.0.0.1:${srv.port}`), io, "upscmd");
  return { code, stdout: io.out.join(""), stderr: io.err.join(""), lines: [...srv.lines] };
}

const ADMIN = ["-u", "admin", "-p", "pw"];

Deno.test("upscmd -w waits for the driver's verdict and prints it on stderr", async () => {
  let polls = 0;
  const r = await upscmd((l) => {
    if (l.startsWith("INSTCMD")) return `OK TRACKING ${ID}`;
    if (l.startsWith("GET TRACKING")) return ++polls < 2 ? "PENDING" : "SUCCESS";
    return "OK";
  }, (h) => [...ADMIN, "-w", h, "test.battery.start", "30"]);
  assert.deepEqual(r, {
    code: 0,
    stdout: "",
    stderr: "SUCCESS\n",
    lines: [
      "USERNAME admin",
      "PASSWORD pw",
      "SET TRACKING ON",
      "INSTCMD ups test.battery.start 30",
      `GET TRACKING ${ID}`,
      `GET TRACKING ${ID}`,
    ].concat(r.lines.length === 7 ? ["LOGOUT"] : []),
  });
});

Deno.test("upscmd -w stops when upsd refuses tracking", async () => {
  const r = await upscmd(
    (l) => (l === "SET TRACKING ON" ? "ERR INVALID-ARGUMENT" : "OK"),
    (h) => [...ADMIN, "-w", h, "load.off"],
  );
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    "Enabling command status tracking failed. upsd answered: ERR INVALID-ARGUMENT\n",
  );
});

Deno.test("upscmd -l prints a command alone when its description fails; --json gives null", async () => {
  const h: Handler = (l) => {
    if (l === "LIST CMD ups") {
      return ["BEGIN LIST CMD ups", "CMD ups a.b", "CMD ups c.d", "END LIST CMD ups"];
    }
    if (l === "GET CMDDESC ups a.b") return 'CMDDESC ups a.b "Does a"';
    return "ERR VAR-NOT-SUPPORTED";
  };
  const text = await upscmd(h, (u) => ["-l", u]);
  assert.equal(text.stdout, "Instant commands supported on UPS [ups]:\n\na.b - Does a\nc.d\n");
  const json = await upscmd(h, (u) => ["--json", "-l", u]);
  assert.deepEqual(JSON.parse(json.stdout), {
    ups: "ups",
    commands: [{ name: "a.b", description: "Does a" }, { name: "c.d", description: null }],
  });
});

Deno.test("upscmd prompts for the user name on stdout and reads the password", async () => {
  await using srv = tcpUpsd(() => "OK");
  const io = memoryIo({ stdin: ["bob", "secret"] });
  const code = await run([`ups@127.0.0.1:${srv.port}`, "load.off"], io, "upscmd");
  assert.equal(code, 0);
  assert.match(io.out.join(""), /^Username( \(.+\))?: $/);
  assert.equal(io.err.join(""), "Password: OK\n");
  assert.deepEqual(srv.lines.slice(0, 3), [
    "USERNAME bob",
    "PASSWORD secret",
    "INSTCMD ups load.off",
  ]);
});
