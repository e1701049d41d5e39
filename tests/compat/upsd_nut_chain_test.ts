/**
 * The all-ours chain: `nut dummy` → `nut upsd` against Debian's dummy-ups →
 * Debian's upsd, on a deterministic sample of the DDL dumps (every 10th;
 * NUT_DDL_ALL=1 runs every dump, about 3 minutes).
 * Together with "real dummy-ups → nut upsd" (every dump, upsd_ddl_test) and
 * engineer B's "nut dummy → real upsd" (every dump), this closes the square.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { dialog, SHARED, startPair } from "./upsd_harness.ts";

const BATCH = 14;

function sample(): string[] {
  const root = `${SHARED}/data/ddl`;
  const all: string[] = [];
  for (const v of Deno.readDirSync(root)) {
    if (!v.isDirectory) continue;
    for (const f of Deno.readDirSync(`${root}/${v.name}`)) {
      if (f.name.endsWith(".dev")) all.push(`${root}/${v.name}/${f.name}`);
    }
  }
  const every = Deno.env.get("NUT_DDL_ALL") === "1" ? 1 : 10;
  return all.sort().filter((_, i) => i % every === 0);
}

async function view(port: number, ups: string): Promise<string[]> {
  try {
    return await dialog(port, [`LIST VAR ${ups}`, `LIST RW ${ups}`, `LIST CMD ${ups}`]);
  } catch (e) {
    if (e instanceof Deno.errors.ConnectionRefused) return ["(refused)"];
    throw e;
  }
}

compatTest(
  "nut dummy → nut upsd equals dummy-ups → upsd 2.8.0 (every 10th DDL dump; NUT_DDL_ALL=1: all)",
  async (t) => {
    const dumps = sample();
    const differ: string[] = [];
    for (let b = 0; b < dumps.length; b += BATCH) {
      const batch = dumps.slice(b, b + BATCH);
      await t.step(`dumps ${b + 1}-${b + batch.length} of ${dumps.length}`, async () => {
        const upses = batch.map((dev, i) => ({ name: `u${b + i + 1}`, dev }));
        await using real = await startPair(upses, { waitData: false });
        await using ours = await startPair(upses, { waitData: false, real: false, driver: "nut" });
        for (const u of upses) {
          let a: string[] = [];
          let o: string[] = [];
          for (let attempt = 0; attempt < 150; attempt++) {
            a = await view(real.realPort, u.name);
            o = await view(ours.ourPort, u.name);
            const settled = a[0]!.startsWith("BEGIN") && !a[0]!.includes('"WAIT"');
            if (settled && JSON.stringify(a) === JSON.stringify(o)) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          if (JSON.stringify(a) !== JSON.stringify(o)) {
            differ.push(
              `${u.dev}:\n real ${a.join("\n").slice(0, 400)}\n ours ${o.join("\n").slice(0, 400)}`,
            );
          }
        }
      });
    }
    assertEquals(differ, []);
  },
  { sanitizeResources: false, sanitizeOps: false },
);
