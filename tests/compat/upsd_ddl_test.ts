/**
 * Real dummy-ups → nut upsd vs real dummy-ups → Debian's upsd, for EVERY
 * dump in ../shared/data/ddl: LIST VAR, LIST RW, LIST CMD and GET TYPE of
 * every variable equal. Both servers read the same driver sockets; many
 * sections per batch keep it short.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { compatTest } from "../_helpers/real_nut.ts";
import { dialog, SHARED, startPair } from "./upsd_harness.ts";

const BATCH = 110;

function allDumps(): string[] {
  const root = `${SHARED}/data/ddl`;
  const out: string[] = [];
  for (const v of Deno.readDirSync(root)) {
    if (!v.isDirectory) continue;
    for (const f of Deno.readDirSync(`${root}/${v.name}`)) {
      if (f.name.endsWith(".dev")) out.push(`${root}/${v.name}/${f.name}`);
    }
  }
  return out.sort();
}

async function viewOrRefused(port: number, ups: string): Promise<string[]> {
  try {
    return await view(port, ups);
  } catch (e) {
    // a server still starting up (the batch does not wait for data first)
    if (e instanceof Deno.errors.ConnectionRefused) return ["(refused)"];
    throw e;
  }
}

async function view(port: number, ups: string): Promise<string[]> {
  const [vars, rw, cmd] = await dialog(port, [
    `LIST VAR ${ups}`,
    `LIST RW ${ups}`,
    `LIST CMD ${ups}`,
  ]);
  const names = (vars ?? "").split("\n").slice(1, -1).map((l) => l.split(" ")[2]!);
  const types = await dialog(port, names.map((n) => `GET TYPE ${ups} ${n}`));
  return [vars ?? "", rw ?? "", cmd ?? "", ...types];
}

compatTest(
  "real dummy-ups → nut upsd equals real dummy-ups → upsd for every DDL dump",
  async (t) => {
    const dumps = allDumps();
    let same = 0;
    const differ: string[] = [];
    for (let b = 0; b < dumps.length; b += BATCH) {
      const batch = dumps.slice(b, b + BATCH);
      await t.step(`dumps ${b + 1}-${b + batch.length}`, async () => {
        await using pair = await startPair(
          batch.map((dev, i) => ({ name: `u${b + i + 1}`, dev })),
          { waitData: false },
        );
        for (let i = 0; i < batch.length; i++) {
          const ups = `u${b + i + 1}`;
          let real: string[] = [];
          let ours: string[] = [];
          for (let attempt = 0; attempt < 100; attempt++) {
            real = await viewOrRefused(pair.realPort, ups);
            ours = await viewOrRefused(pair.ourPort, ups);
            const settled = !real[0]!.includes('"WAIT"') && !real[0]!.startsWith("ERR") &&
              real[0] !== "(refused)";
            if (settled && JSON.stringify(real) === JSON.stringify(ours)) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          if (JSON.stringify(real) === JSON.stringify(ours)) same++;
          else differ.push(`${batch[i]}: ${diff(real, ours)}`);
        }
      });
    }
    Deno.stderr.writeSync(
      new TextEncoder().encode(
        `DDL: ${same} of ${dumps.length} dumps identical through nut upsd\n`,
      ),
    );
    assertEquals(differ, []);
    assertEquals(same, dumps.length);
  },
  { sanitizeResources: false, sanitizeOps: false },
);

function diff(a: string[], b: string[]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `real ${JSON.stringify(a[i]?.slice(0, 300))} ours ${
        JSON.stringify(b[i]?.slice(0, 300))
      }`;
    }
  }
  return "?";
}
