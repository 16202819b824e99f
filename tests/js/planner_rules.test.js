// The access planner's rules (catalogue/site/assets/planner/rules.js), with node's own test
// runner: `node --test tests/js/` (run by .ci/test). The cases follow docs/access-planner.md.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const R = require("../../catalogue/site/assets/planner/rules.js");

const VOCAB = { "access-deciders": { helsedataservice: { nb: "Helsedataservice", en: "Health Data Service" } } };

function entry(name, access, extra) {
  return Object.assign({
    name: name, title: { nb: name.toUpperCase() }, gaps: [], tables: [],
    data_controller: { id: "org-" + name, name: { nb: "Org " + name } }, access: access
  }, extra || {});
}
function access(decidedBy, fees, lead, extra) {
  return Object.assign({
    decided_by: decidedBy, application_url: "https://apply.example/" + decidedBy,
    fees: { min_nok: fees[0], max_nok: fees[1] }, lead_time: { min_weeks: lead[0], max_weeks: lead[1] },
    approvals: [], legal_basis_options: []
  }, extra || {});
}

test("Helsedataservice is one application: its sources share one group and pay its fee once", () => {
  const a = entry("a", access("helsedataservice", [1000, 5000], [4, 10]));
  const b = entry("b", access("helsedataservice", [2000, 3000], [8, 12]));
  const plan = R.compute([a, b], "en", VOCAB);
  assert.equal(plan.groups.length, 1);
  assert.equal(plan.groups[0].kind, "hds");
  assert.equal(plan.groups[0].name, "Health Data Service");
  assert.deepEqual(plan.groups[0].fees, { min: 2000, max: 5000 });
  assert.deepEqual(plan.fees, { min: 2000, max: 5000 });
});

test("each data controller is its own application; fees add up, the slowest sets the time", () => {
  const a = entry("a", access("data-controller", [1000, 2000], [4, 10]));
  const b = entry("b", access("data-controller", [500, 700], [6, 20]));
  const plan = R.compute([a, b], "nb", {});
  assert.deepEqual(plan.groups.map((g) => g.key), ["controller:org-a", "controller:org-b"]);
  assert.deepEqual(plan.fees, { min: 1500, max: 2700 });
  assert.deepEqual([plan.lead.min, plan.lead.max, plan.lead.slowest.name], [6, 20, "b"]);
});

test("a source without fees or lead time is left out of the sums, and listed", () => {
  const a = entry("a", access("data-controller", [1000, 2000], [4, 10]));
  const b = entry("b", access("data-controller", [0, 0], [0, 0]), { gaps: ["fees", "lead_time"] });
  const plan = R.compute([a, b], "nb", {});
  assert.deepEqual(plan.fees, { min: 1000, max: 2000 });
  assert.deepEqual(plan.unpriced.map((e) => e.name), ["b"]);
  assert.deepEqual(plan.untimed.map((e) => e.name), ["b"]);
});

test("a legal basis is common only when every source with bases offers it", () => {
  const a = entry("a", access("data-controller", [0, 0], [1, 1], { legal_basis_options: ["x", "y"] }));
  const b = entry("b", access("data-controller", [0, 0], [1, 1], { legal_basis_options: ["y"] }));
  const plan = R.compute([a, b], "nb", {});
  assert.deepEqual(plan.common.map((x) => x.id), ["y"]);
  assert.deepEqual(plan.bases.find((x) => x.id === "x").missing.map((e) => e.name), ["b"]);
  assert.equal(plan.basesTotal, 2);
});

test("approvals are listed once, with every source that needs them", () => {
  const a = entry("a", access("data-controller", [0, 0], [1, 1], { approvals: ["rek"] }));
  const b = entry("b", access("biobank", [0, 0], [1, 1], { approvals: ["rek", "dpia"] }));
  const plan = R.compute([a, b], "nb", {});
  assert.deepEqual(plan.approvals.map((x) => [x.id, x.sources.map((e) => e.name)]),
    [["rek", ["a", "b"]], ["dpia", ["b"]]]);
  assert.equal(plan.groups[1].kind, "biobank");
});

test("a shared link's ids: lower-cased, deduplicated, encoded commas split too", () => {
  assert.deepEqual(R.splitIds("A,b%2Cc,,a"), ["a", "b", "c"]);
  assert.deepEqual(R.splitIds("%E0%A4%A"), []);  // undecodable: nothing, never an error
});

test("ticked variables survive the URL and come back in the plan's order", () => {
  const ticks = R.parseVars("b/t/v2,a/t/v1,bad,a/t%2F/x");
  assert.deepEqual(ticks, { b: ["t" + R.SEP + "v2"], a: ["t" + R.SEP + "v1", "t/" + R.SEP + "x"] });
  const tables = [{ name: "t", variables: [{ name: "v1", title: "One" }, { name: "v2" }] }];
  const rows = R.tickedRows([entry("a", {}, { tables: tables }), entry("b", {}, { tables: tables })], ticks);
  assert.deepEqual(rows.map((r) => r.slice(0, 4)), [["a", "t", "v1", "One"], ["b", "t", "v2", ""]]);
});

test("CSV cells that a spreadsheet would run as formulas are defused; quotes doubled", () => {
  assert.equal(R.csvCell("=SUM(A1)"), "'=SUM(A1)");
  assert.equal(R.csvCell('say "hi", then'), '"say ""hi"", then"');
  assert.equal(R.csvText([]), "\ufeffentry,table,variable,title,type,unit\r\n");
});

test("Markdown text is escaped, numbers grouped per language, problems named", () => {
  assert.equal(R.mdText("a|b *c*\n d"), "a\\|b \\*c\\* d");
  assert.equal(R.num(213000, "nb"), "213\u00a0000");
  assert.equal(R.num(213000, "en"), "213,000");
  const S = { unknown_entry: "Unknown: {id}", incomplete: "{title} lacks {what}", gap_fees: "fees" };
  assert.deepEqual(R.problems([{ unknown: true, id: "zz" }, entry("a", {}, { gaps: ["fees"] })], S, "nb"),
    ["Unknown: zz", "A lacks fees"]);
});
