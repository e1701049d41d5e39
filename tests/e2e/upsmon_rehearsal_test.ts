import assert from "node:assert/strict";
import { REPO, run } from "../_helpers/process.ts";

Deno.test("the shutdown rehearsal plays OL → OB → OB LB and passes (secondary first, primary once)", async () => {
  const r = await run([
    Deno.execPath(),
    "run",
    "--quiet",
    "--allow-all",
    `${REPO}/scripts/rehearsal.ts`,
  ], {
    timeout: 100_000,
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // the low-battery state is seen, alone or already with the primary's FSD: the
  // primary sets FSD as soon as it sees LB, which can fall between two samples
  assert.match(r.stdout, /ups\.status\s+(FSD )?OB DISCHRG LB\n/);
  assert.match(r.stdout, /secondary1\s+SHUTDOWNCMD/);
  assert.match(r.stdout, /rehearsal passed: 2 upsmon shut down once each/);
  const dir = /logs kept in (\S+)/.exec(r.stdout)?.[1];
  if (dir) await Deno.remove(dir, { recursive: true });
});
