import assert from "node:assert/strict";
import { decodeItems, parseReportDescriptor } from "../../../drivers/usbhid/report_descriptor.ts";
import { pathToString, stringToPath } from "../../../drivers/usbhid/hid_paths.ts";
import { usageTable } from "../../../drivers/usbhid/usage_tables.ts";
import { readValue } from "../../../drivers/usbhid/hid_value.ts";
import { g } from "../../../drivers/usbhid/printf.ts";
import { hexToBytes, parseFixture } from "../../../drivers/usbhid/fixture.ts";
import { fixtureFiles, HID_DIR } from "./_ctx.ts";

Deno.test("parseReportDescriptor() matches NUT's logged Path lines for every fixture with a descriptor", async (t) => {
  let total = 0;
  let same = 0;
  let withDescriptor = 0;
  for (const file of fixtureFiles()) {
    const fx = parseFixture(Deno.readTextFileSync(`${HID_DIR}/${file}`), file);
    if (!fx.descriptor) continue;
    withDescriptor++;
    const { SUBDRIVERS, subdriverByName } = await import("../../../drivers/usbhid/match.ts");
    const named = typeof fx.raw.subdriver === "string"
      ? subdriverByName(fx.raw.subdriver)
      : undefined;
    // Names depend on the subdriver NUT used (vendor usages); try it first, then every table.
    const tables = [
      ...(named ? [usageTable(named.usages)] : []),
      usageTable(),
      ...SUBDRIVERS.map((s) => usageTable(s.usages)),
    ];
    await t.step(file, () => {
      const desc = parseReportDescriptor(fx.descriptor!);
      const found = fx.raw.hid_objects_found;
      if (typeof found === "number") assert.equal(desc.items.length, found, "HID objects found");
      const paths = Array.isArray(fx.raw.paths) ? fx.raw.paths as Record<string, unknown>[] : [];
      for (const p of paths) {
        total++;
        const table = tables.find((tb) =>
          desc.items.some((i) => pathToString(i.path, tb) === p.path)
        ) ??
          tables[0]!;
        const item = desc.items.find((i) =>
          pathToString(i.path, table) === p.path && i.type === p.type
        );
        assert.ok(item, `${p.path} (${p.type}) not found`);
        assert.deepEqual(
          { reportId: item.reportId, offset: item.offset, size: item.size },
          { reportId: p.reportId, offset: p.offset, size: p.size },
          `${p.path}`,
        );
        if (typeof p.report_hex === "string" && p.value !== null) {
          assert.equal(
            g(readValue(hexToBytes(p.report_hex), item)),
            String(p.value),
            `${p.path} value`,
          );
        }
        same++;
      }
    });
  }
  // deno-lint-ignore no-console -- the N of N figure for the report
  console.log(
    `HID paths: ${same} of ${total} equal NUT's (${withDescriptor} fixtures with a descriptor)`,
  );
  assert.ok(withDescriptor >= 1);
  assert.equal(same, total);
});

Deno.test("parseReportDescriptor() folds extra report-count fields into one object and keeps offsets", () => {
  // Usage Page 0x84, Usage UPS, Collection(App), Report ID 1, Usage Voltage,
  // size 8, count 3 (one usage → one object, offsets advance by 24), Usage Current, Feature.
  const d = parseReportDescriptor(hexToBytes(
    "05 84 09 04 a1 01 85 01 09 30 75 08 95 03 15 00 26 ff 00 b1 02 09 31 95 01 b1 02 c0",
  ));
  const t = usageTable();
  assert.deepEqual(
    d.items.map((i) => [pathToString(i.path, t), i.offset, i.size]),
    [["UPS.Voltage", 0, 8], ["UPS.Current", 24, 8]],
  );
  assert.equal(d.reportLength.get(1), 4);
});

Deno.test("parseReportDescriptor() names vendor collections with an index like NUT", () => {
  // Flow collection of type 0x84 → index node [4]
  const d = parseReportDescriptor(hexToBytes(
    "05 84 09 04 a1 01 09 1e a1 84 85 02 09 40 75 08 95 01 b1 02 c0 c0",
  ));
  assert.equal(pathToString(d.items[0]!.path, usageTable()), "UPS.Flow.[4].ConfigVoltage");
  assert.deepEqual(stringToPath("UPS.Flow.[4].ConfigVoltage", usageTable()), [...d.items[0]!.path]);
});

Deno.test("parseReportDescriptor() repairs a LogMax that overflowed into the sign bit", () => {
  const d = parseReportDescriptor(
    hexToBytes("05 84 09 04 a1 01 85 03 09 30 75 08 95 01 15 00 25 ff b1 02 c0"),
  );
  assert.equal(d.items[0]!.logMax, 255);
  assert.equal(d.warnings.length, 1);
});

Deno.test("readValue() sign-extends items whose LogMin is negative (0xffff prints -1)", () => {
  const d = parseReportDescriptor(
    hexToBytes("05 84 09 04 a1 01 85 05 09 57 75 10 95 01 16 00 80 26 ff 7f b1 02 c0"),
  );
  assert.equal(readValue(hexToBytes("05 ff ff"), d.items[0]!), -1);
});

Deno.test("decodeItems() lists main, global and local items", () => {
  const items = decodeItems(hexToBytes("05 84 09 04 a1 01 19 01 29 02 c0"));
  assert.deepEqual(items.map((i) => `${i.kind}:${i.name}`), [
    "global:Usage Page",
    "local:Usage",
    "main:Collection",
    "local:Usage Minimum",
    "local:Usage Maximum",
    "main:End Collection",
  ]);
});

Deno.test("every path NUT logged in any fixture is spelled by our usage tables", async (t) => {
  const { SUBDRIVERS, subdriverByName } = await import("../../../drivers/usbhid/match.ts");
  let total = 0;
  let known = 0;
  for (const file of fixtureFiles()) {
    const fx = parseFixture(Deno.readTextFileSync(`${HID_DIR}/${file}`), file);
    const paths = Array.isArray(fx.raw.paths) ? fx.raw.paths as Record<string, unknown>[] : [];
    if (paths.length === 0) continue;
    const named = typeof fx.raw.subdriver === "string"
      ? subdriverByName(fx.raw.subdriver)
      : undefined;
    const tables = named
      ? [usageTable(named.usages)]
      : [usageTable(), ...SUBDRIVERS.map((s) => usageTable(s.usages))];
    await t.step(file, () => {
      for (const p of paths) {
        const text = String(p.path);
        total++;
        const ok = tables.some((tb) => {
          const nodes = stringToPath(text, tb);
          return nodes !== undefined && pathToString(nodes, tb) === text;
        });
        assert.ok(ok, `${text} (${fx.raw.subdriver ?? "subdriver unknown"})`);
        known++;
      }
    });
  }
  // deno-lint-ignore no-console -- the figure for the report
  console.log(`path names: ${known} of ${total} logged paths spelled identically`);
});
