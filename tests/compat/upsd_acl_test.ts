/**
 * The ACL matrix: every user of the test upsd.users (plus an unknown user,
 * a wrong password and no password at all) × every command that needs
 * rights: nut upsd's replies equal Debian's upsd's, one fresh connection
 * per cell.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { dialog, normalizeIds, startPair } from "./upsd_harness.ts";

const WHO: [string, string | undefined][] = [
  ["admin", "secret"],
  ["admin", "wrong"],
  ["mon", "pw"],
  ["sec", "spw"],
  ["setter", "s"],
  ["cmdr", "c"],
  ["nopw", ""],
  ["nobody", "x"],
  ["admin", undefined],
];

const COMMANDS = [
  "LOGIN fake",
  "LOGIN nope",
  "PRIMARY fake",
  "MASTER fake",
  "PRIMARY nope",
  "FSD nope",
  "SET VAR fake ups.id abc",
  "SET VAR fake ups.delay.shutdown 30",
  "SET VAR fake battery.charge 5",
  "SET VAR nope ups.id abc",
  "INSTCMD fake load.off",
  "INSTCMD fake test.battery.start",
  "INSTCMD fake Beeper.Toggle 3",
  "INSTCMD fake nope.cmd",
  "SET TRACKING ON",
  "GET NUMLOGINS fake",
  "FSD fake",
];

compatTest("ACL matrix: users × commands × rights answer as upsd 2.8.0", async (t) => {
  await using pair = await startPair([{ name: "fake", dev: "fake" }]);
  for (const [user, pw] of WHO) {
    await t.step(`${user}/${pw ?? "(no PASSWORD)"}`, async () => {
      const rows: string[][] = [[], []];
      for (const cmd of COMMANDS) {
        const lines = [`USERNAME ${user}`, ...(pw === undefined ? [] : [`PASSWORD "${pw}"`]), cmd];
        for (const [k, port] of [pair.realPort, pair.ourPort].entries()) {
          const r = await dialog(port, lines);
          rows[k]!.push(`${cmd} => ${normalizeIds(r.at(-1) ?? "")}`);
        }
      }
      assertEquals(rows[1], rows[0]);
    });
  }
}, { sanitizeResources: false, sanitizeOps: false });
