/**
 * Runs the whole test suite and ends with one plain summary line
 * (`tests: N passed, N failed, N skipped`) that any CI can read.
 *
 * Usage: deno task test [extra deno test args]
 *
 * @module
 */

// --allow-all, not a list: several tests read /proc (a process's open fds,
// whether a daemon still runs), which Deno grants only with --allow-all.
const PERMS = ["--allow-all"];

const extra = Deno.args;
const cmd = new Deno.Command(Deno.execPath(), {
  // by default: every test file, plus the @example blocks of core/, drivers/ and cli/
  args: [
    "test",
    "--quiet",
    ...PERMS,
    "--parallel",
    ...(extra.length ? extra : ["--doc", "tests/", "core/", "drivers/", "cli/"]),
  ],
  stdout: "piped",
  stderr: "inherit",
  env: { NO_COLOR: "1" },
});
const child = cmd.spawn();
let tail = "";
const decoder = new TextDecoder();
const writer = Deno.stdout;
for await (const chunk of child.stdout) {
  await writer.write(chunk);
  tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4000);
}
const status = await child.status;
// Deno's summary: "ok | 12 passed (3 steps) | 0 failed | 2 ignored (1s)"
const m = tail.match(
  /(\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed(?: \(\d+ steps?\))?(?: \| (\d+) ignored)?/,
);
if (m) {
  const line = `tests: ${m[1]} passed, ${m[2]} failed, ${m[3] ?? 0} skipped`;
  await writer.write(new TextEncoder().encode(`\n${line}\n`));
} else {
  await writer.write(new TextEncoder().encode(`\ntests: no summary found (exit ${status.code})\n`));
}
Deno.exit(status.code === 0 && m ? 0 : status.code || 1);
