/**
 * Differential tests: our config parsers against Debian's real NUT 2.8.0
 * on generated edge cases (quotes, escapes, continuation, `#` in values,
 * missing final newline, non-ASCII, the `=` forms).
 *
 * - ups.conf: `upsdrvctl -t -u root shutdown` prints each section and the
 *   driver path it would exec, in sdorder order; we derive the same lines
 *   from parseUpsConf + driverTable.
 * - upsd.conf / upsd.users: the real upsd prints every complaint while it
 *   starts; we compare them with the problems our parsers mark `logged`.
 * - upssched.conf: the real upssched reads it on each call; exit status and
 *   complaints must agree.
 */

import assert from "node:assert/strict";
import { compatTest, REAL } from "../_helpers/real_nut.ts";
import { makeSandbox, type Sandbox } from "../_helpers/sandbox.ts";
import { freePort } from "../_helpers/ports.ts";
import { run, spawnDaemon } from "../_helpers/process.ts";
import { waitFor } from "../_helpers/wait.ts";
import { parseUpsConf } from "../../core/config/ups_conf.ts";
import { driverTable } from "../../core/config/driver_table.ts";
import { parseUpsdConf } from "../../core/config/upsd_conf.ts";
import { parseUpsdUsers } from "../../core/config/upsd_users.ts";
import { parseUpsschedConf } from "../../core/config/upssched_conf.ts";
import { parseUpsmonConf } from "../../core/config/upsmon_conf.ts";
import type { ConfigProblem } from "../../core/config/problem.ts";
import { tokenize } from "../../core/protocol/tokenize.ts";
import { DEFAULTS } from "../../core/paths.ts";
import { UPS_CASES } from "../fixtures/config/diff_cases_ups.ts";
import {
  NUT_CONF_CASES,
  SCHED_CASES,
  UPSD_CASES,
  UPSMON_CASES,
} from "../fixtures/config/diff_cases_upsd.ts";
import { parseNutConf } from "../../core/config/nut_conf.ts";

/** Writes a config file byte for byte (the text is a latin1 byte string). */
function writeBytes(sb: Sandbox, name: string, text: string): string {
  const path = `${sb.confPath}/${name}`;
  Deno.writeFileSync(path, Uint8Array.from([...text].map((c) => c.charCodeAt(0))), {
    mode: 0o600,
  });
  Deno.chmodSync(path, 0o600);
  return path;
}

const stripStamp = (l: string) => l.replace(/^\s*\d+\.\d+\t/, "").replace(/^\[D\d+\] /, "");

/** NUT's parse-error lines for a file, from the tokenizer's logical line numbers. */
function parseErrors(text: string, path: string): string[] {
  return tokenize(text).filter((l) => l.error !== undefined).map((l) =>
    `Parse error: ${path}:${l.logical}: ${l.error}`
  );
}

/** What upsdrvctl -t shutdown prints about the table, from our parse. */
function ourShutdownLines(text: string): string[] {
  const t = driverTable(parseUpsConf(text, { file: "ups.conf" }));
  if (t.entries.length === 0) return ["Error: no UPS definitions found in ups.conf"];
  const dp = t.driverpath ?? DEFAULTS.driverPath;
  const out: string[] = [];
  for (let i = 0; i <= t.maxSdorder; i++) {
    for (const e of t.entries) {
      if (e.sdorder !== i) continue;
      out.push(`Shutdown UPS: ${e.name}`);
      // dfn is a SMALLBUF (512): snprintf keeps 511 chars
      const dfn = `${dp}/${e.driver ?? "(null)"}`.slice(0, 511);
      out.push(`exec:  ${dfn} -a ${e.name} -k -u root`);
    }
  }
  return out;
}

const logged = (ps: readonly ConfigProblem[]) => ps.filter((p) => p.logged === true);

compatTest(
  `parseUpsConf() agrees with the real upsdrvctl on ${UPS_CASES.length} edge cases`,
  async (t) => {
    for (const c of UPS_CASES) {
      await t.step(c.name, async () => {
        await using sb = makeSandbox("nut-confdiff-");
        const path = writeBytes(sb, "ups.conf", c.text);
        const r = await run([REAL.upsdrvctl, "-t", "-u", "root", "shutdown"], {
          env: { ...sb.env, PATH: "/usr/bin:/bin" },
        });
        const lines = (r.stdout + r.stderr).split("\n").map(stripStamp);
        const table = lines.filter((l) =>
          /^(Shutdown UPS: |exec: |Error: no UPS definitions)/.test(l)
        );
        assert.deepEqual(table, ourShutdownLines(c.text), r.stdout + r.stderr);
        const ours = parseUpsConf(c.text, { file: "ups.conf" });
        const addchar = lines.filter((l) => l.startsWith("addchar:"));
        assert.deepEqual(
          addchar,
          logged(ours.problems).filter((p) => p.message.startsWith("addchar:")).map((p) =>
            p.message
          ),
        );
        assert.deepEqual(
          lines.filter((l) => l.startsWith("Parse error:")),
          parseErrors(c.text, path),
        );
        // the parser's own NUT text, given the full path as file name
        const withPath = parseUpsConf(c.text, { file: path });
        assert.deepEqual(
          withPath.problems.flatMap((p) => p.nutText === undefined ? [] : [p.nutText]),
          lines.filter((l) => l.startsWith("Parse error:")),
        );
      });
    }
  },
);

/** Real upsd's complaints while it reads upsd.conf and upsd.users. */
async function realUpsd(
  conf: string,
  users: string | undefined,
): Promise<{ accepted: boolean; messages: string[]; confPath: string }> {
  await using sb = makeSandbox("nut-confdiff-");
  const port = freePort();
  writeBytes(sb, "ups.conf", "[u]\ndriver = dummy-ups\nport = x.dev\n");
  writeBytes(sb, "upsd.conf", `LISTEN 127.0.0.1 ${port}\n${conf}`);
  if (users !== undefined) writeBytes(sb, "upsd.users", users);
  await using d = spawnDaemon([REAL.upsd, "-F", "-u", "root"], { env: sb.env });
  let exited = false;
  d.status.then(() => (exited = true));
  await waitFor(() => exited || /Running as foreground process/.test(d.stderr()), {
    timeout: 20_000,
    what: "real upsd to read its configuration",
  });
  const accepted = !exited;
  if (accepted) d.kill();
  await d.status;
  const noise =
    /^(fopen |Could not find PID file|listening on |.* is world readable$|Can't connect to UPS|Running as foreground|mainloop:|Signal \d+:|Network UPS Tools upsd|$)/;
  const messages = (d.stdout() + d.stderr()).split("\n")
    .map((l) => l.replace(/^\s*\d+\.\d+\t/, ""))
    .filter((l) => !noise.test(l) && !/^\[D\d+\] /.test(l));
  return { accepted, messages, confPath: sb.confPath };
}

compatTest(
  `parseUpsdConf() and parseUpsdUsers() agree with the real upsd on ${UPSD_CASES.length} edge cases`,
  async (t) => {
    for (const c of UPSD_CASES) {
      await t.step(c.name, async () => {
        const real = await realUpsd(c.conf, c.users);
        const confText = `LISTEN 127.0.0.1 1\n${c.conf}`;
        const conf = parseUpsdConf(confText, { file: "upsd.conf" });
        const users = c.users === undefined
          ? undefined
          : parseUpsdUsers(c.users, { file: "upsd.users" });
        const ours: string[] = [
          ...parseErrors(confText, `${real.confPath}/upsd.conf`),
          ...(c.users === undefined ? [] : parseErrors(c.users, `${real.confPath}/upsd.users`)),
          ...[...logged(conf.problems), ...logged(users?.problems ?? [])]
            .filter((p) => p.message !== "Unbalanced word due to unescaped # in quotes")
            .map((p) => p.message),
        ];
        if (c.users === undefined) {
          ours.push(`stat ${real.confPath}/upsd.users: No such file or directory`);
        }
        assert.deepEqual([...real.messages].sort(), ours.sort());
        const fatal = [...conf.problems, ...(users?.problems ?? [])].some((p) => p.fatal);
        assert.equal(real.accepted, !fatal && c.users !== undefined);
      });
    }
  },
);

compatTest(
  `parseUpsschedConf() agrees with the real upssched on ${SCHED_CASES.length} edge cases`,
  async (t) => {
    for (const c of SCHED_CASES) {
      await t.step(c.name, async () => {
        await using sb = makeSandbox("nut-confdiff-");
        const path = writeBytes(sb, "upssched.conf", c.text);
        const r = await run([REAL.upssched], {
          env: { ...sb.env, UPSNAME: "nomatch@localhost", NOTIFYTYPE: "ONLINE" },
        });
        const ours = parseUpsschedConf(c.text, { file: "upssched.conf" });
        const fatal = ours.problems.findIndex((p) => p.fatal);
        assert.equal(r.code, fatal >= 0 ? 1 : 0, r.stdout + r.stderr);
        const upTo = fatal >= 0 ? ours.problems.slice(0, fatal + 1) : ours.problems;
        const msgs = logged(upTo).filter((p) =>
          p.message !== "Unbalanced word due to unescaped # in quotes"
        ).map((p) => p.message);
        const lastLine = fatal >= 0 ? ours.problems[fatal]!.line : Infinity;
        const errs = tokenize(c.text).filter((l) => l.error !== undefined && l.line < lastLine)
          .map((l) => `Parse error: ${path}:${l.logical}: ${l.error}`);
        assert.deepEqual(
          r.stderr.split("\n").filter((l) => l !== "").sort(),
          [...errs, ...msgs].sort(),
        );
      });
    }
  },
);

compatTest(
  `parseUpsmonConf() agrees with the real upsmon -K on ${UPSMON_CASES.length} edge cases`,
  async (t) => {
    for (const c of UPSMON_CASES) {
      await t.step(c.name, async () => {
        await using sb = makeSandbox("nut-confdiff-");
        const path = writeBytes(sb, "upsmon.conf", c.text);
        const r = await run([REAL.upsmon, "-K"], { env: sb.env });
        const noise =
          /^(Network UPS Tools upsmon|fopen \/run\/nut\/upsmon.pid|Could not find PID file|Power down flag is|$)/;
        const real = (r.stdout + r.stderr).split("\n").filter((l) => !noise.test(l));
        const accepted = /Power down flag is/.test(r.stdout + r.stderr);
        const ours = parseUpsmonConf(c.text, { file: path });
        // upsmon -K exits before its later checks (shutdown command, total power value)
        const late = /^(Warning: no shutdown command defined!|Fatal error: insufficient power)/;
        const lines = [
          ...logged(ours.problems).filter((p) => !late.test(p.message)).flatMap((p) =>
            (p.nutText ?? p.message).split("\n")
          ),
          ...ours.monitors.map((m) =>
            m.powerValue > 0
              ? `UPS: ${m.system} (${m.role}) (power value ${m.powerValue})`
              : `UPS: ${m.system} (monitoring only)`
          ),
          ...(ours.powerDownFlag === undefined
            ? []
            : [`Using power down flag file ${ours.powerDownFlag}`]),
        ];
        assert.deepEqual(real.sort(), lines.sort(), r.stdout + r.stderr);
        const fatal = ours.problems.some((p) => p.fatal && !late.test(p.message));
        assert.equal(accepted, !fatal);
      });
    }
  },
);

Deno.test(
  `parseNutConf() agrees with /bin/sh sourcing nut.conf on ${NUT_CONF_CASES.length} cases`,
  async (t) => {
    for (const c of NUT_CONF_CASES) {
      await t.step(c.name, async () => {
        await using sb = makeSandbox("nut-confdiff-");
        const path = writeBytes(sb, "nut.conf", c.text);
        const keys = ["MODE", "UPSD_OPTIONS", "UPSMON_OPTIONS"];
        const script = `. "${path}" || exit 9; printf '%s\\n' ${
          keys.map((k) => `"\${${k}-<unset>}"`).join(" ")
        }`;
        const r = await run(["/bin/sh", "-c", script], { env: { PATH: "/usr/bin:/bin" } });
        const ours = parseNutConf(c.text, { file: "nut.conf" });
        const errors = ours.problems.filter((p) => p.severity === "error");
        // sh complains (or fails) exactly when we report an error
        assert.equal(r.stderr !== "" || r.code !== 0, errors.length > 0, r.stderr);
        if (r.code === 0) {
          assert.deepEqual(
            r.stdout.split("\n").slice(0, keys.length),
            keys.map((k) => ours.values.get(k) ?? "<unset>"),
          );
        }
      });
    }
  },
);
