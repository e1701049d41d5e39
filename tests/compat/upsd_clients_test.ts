/**
 * Debian's own clients (upsc every form, upscmd, upsrw, PyNUT) against
 * Debian's upsd and against `nut upsd`, same drivers: identical output,
 * stderr and exit codes.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { run } from "../_helpers/process.ts";
import { normalizeIds, SHARED, startPair } from "./upsd_harness.ts";

const DEV1 = `${SHARED}/data/ddl/Eaton/Eaton__5E650iUSB-AU__usbhid-ups__2.7.1__02.dev`;

const PY = `
import sys, PyNUT
c = PyNUT.PyNUTClient(host="127.0.0.1", port=int(sys.argv[1]), login="admin", password="secret")
def show(label, f):
    try:
        r = f()
        if isinstance(r, dict):
            r = sorted(r.items())
        print(label, repr(r))
    except Exception as e:
        print(label, "EXC", type(e).__name__, str(e))
show("ver", c.ver)
show("list", c.GetUPSList)
for u in ("dev1", "fake", "nope"):
    show("vars " + u, lambda: c.GetUPSVars(u))
    show("rw " + u, lambda: c.GetRWVars(u))
    show("cmds " + u, lambda: c.GetUPSCommands(u))
    show("clients " + u, lambda: c.ListClients(u))
show("set", lambda: c.SetRWVar("fake", "ups.id", "abc"))
show("setbad", lambda: c.SetRWVar("fake", "ups.id", "waytoolongvalue"))
show("cmd", lambda: c.RunUPSCommand("fake", "load.off"))
show("cmdbad", lambda: c.RunUPSCommand("fake", "nope"))
show("fsd", lambda: c.FSD("fake"))
`;

function upscForms(port: number): string[][] {
  const h = `127.0.0.1:${port}`;
  return [
    [REAL.upsc, "-l", h],
    [REAL.upsc, "-L", h],
    [REAL.upsc, `dev1@${h}`],
    [REAL.upsc, `DEV1@${h}`],
    [REAL.upsc, `fake@${h}`],
    [REAL.upsc, `dev1@${h}`, "ups.status"],
    [REAL.upsc, `fake@${h}`, "device.model"],
    [REAL.upsc, `dev1@${h}`, "nope.var"],
    [REAL.upsc, `nope@${h}`],
    [REAL.upsc, `nope@${h}`, "ups.status"],
    [REAL.upsc, "-c", `fake@${h}`],
    [REAL.upsc, `dev1@${h}`, "server.info"],
    [REAL.upscmd, "-l", `fake@${h}`],
    [REAL.upscmd, "-l", `dev1@${h}`],
    [REAL.upscmd, "-l", `nope@${h}`],
    [REAL.upscmd, "-u", "admin", "-p", "secret", `fake@${h}`, "load.off"],
    [REAL.upscmd, "-u", "admin", "-p", "wrong", `fake@${h}`, "load.off"],
    [REAL.upscmd, "-u", "cmdr", "-p", "c", `fake@${h}`, "test.battery.start"],
    [REAL.upsrw, `fake@${h}`],
    [REAL.upsrw, `dev1@${h}`],
    [REAL.upsrw, "-s", "ups.id=xyz", "-u", "admin", "-p", "secret", `fake@${h}`],
    [REAL.upsrw, "-s", "ups.id=waytoolong", "-u", "admin", "-p", "secret", `fake@${h}`],
    [REAL.upsrw, "-s", "input.transfer.low=175", "-u", "admin", "-p", "secret", `fake@${h}`],
    [REAL.upsrw, "-s", "ups.id=x", "-u", "setter", "-p", "bad", `fake@${h}`],
  ];
}

compatTest(
  "Debian's upsc, upscmd, upsrw and PyNUT see nut upsd exactly as upsd 2.8.0",
  async (t) => {
    await using pair = await startPair([
      { name: "dev1", dev: DEV1, desc: "Eaton test" },
      { name: "fake", dev: "fake" },
    ]);
    const realForms = upscForms(pair.realPort);
    const ourForms = upscForms(pair.ourPort);
    const norm = (s: string, port: number) => normalizeIds(s).replaceAll(String(port), "<PORT>");
    for (let i = 0; i < realForms.length; i++) {
      const label = realForms[i]!.slice(1).join(" ").replace(String(pair.realPort), "<PORT>");
      await t.step(label, async () => {
        const a = await run(realForms[i]!, { timeout: 20_000 });
        const b = await run(ourForms[i]!, { timeout: 20_000 });
        assertEquals(
          { code: b.code, out: norm(b.stdout, pair.ourPort), err: norm(b.stderr, pair.ourPort) },
          { code: a.code, out: norm(a.stdout, pair.realPort), err: norm(a.stderr, pair.realPort) },
        );
      });
    }
    await t.step("PyNUT", async () => {
      const a = await run([REAL.python, "-c", PY, String(pair.realPort)], { timeout: 30_000 });
      const b = await run([REAL.python, "-c", PY, String(pair.ourPort)], { timeout: 30_000 });
      const clean = (s: string, port: number) =>
        normalizeIds(s).replaceAll(String(port), "<PORT>").replace(/127\.0\.0\.1/g, "<IP>");
      assertEquals(
        clean(b.stdout + b.stderr, pair.ourPort),
        clean(a.stdout + a.stderr, pair.realPort),
      );
      assertEquals(b.code, a.code);
    });
  },
  { sanitizeResources: false, sanitizeOps: false },
);
