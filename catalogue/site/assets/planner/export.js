/* The access planner's exports: the plan as Markdown, the ticked variables as CSV, the link. */
(function () {
  "use strict";
  var P = window.CataloguePlanner;
  if (!P || !P.ctx) return;
  var S = P.ctx.S, state = P.ctx.state, $ = P.ctx.$, app = P.ctx.app, R = P.rules, SEP = R.SEP;
  var fmt = P.fmt, num = P.num, label = P.label, title = P.title, page = P.page, names = P.names;
  var known = P.known, problems = P.problems, tickedRows = P.tickedRows, groupTitle = P.groupTitle;
  var neededBy = P.neededBy, compute = P.compute, shareUrl = P.shareUrl, absolute = P.absolute, sum = R.sum;
  function download(name, type, text) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 5000);
  }
  function csv() { return R.csvText(tickedRows()); }
  var mdText = R.mdText;
  function markdown() {
    var plan = compute(), out = ["# " + S.plan_title, "", S.plan_link + ": <" + shareUrl() + ">", ""];
    function h(level, text) { out.push("", "#".repeat(level) + " " + text, ""); }
    h(2, S.sources_h);
    state.entries.forEach(function (e) {
      out.push(e.unknown ? "- " + mdText(e.id) : "- [" + mdText(title(e)) + "](" + absolute(page(e)) + ") (" + S.decider + ": " + mdText(label("access-deciders", e.access.decided_by)) + ")");
    });
    var found = problems();
    if (found.length) { h(2, S.problems_h); found.forEach(function (p) { out.push("- " + mdText(p)); }); }
    h(2, S.approvals_h);
    plan.approvals.forEach(function (a) { out.push("- **" + mdText(label("approvals", a.id)) + "** – " + mdText(neededBy(a.sources, plan.entries.length))); });
    h(2, S.groups_h);
    plan.groups.forEach(function (g) {
      h(3, mdText(groupTitle(g)));
      out.push("- " + S.covers + ": " + mdText(names(g.sources)));
      g.urls.forEach(function (u) { out.push("- " + S.apply_at + ": <" + u + ">"); });
      g.routes.forEach(function (r) { out.push("- " + S.how_to_apply + (g.routes.length > 1 ? " (" + mdText(title(r.source)) + ")" : "") + ": " + mdText(r.text)); });
      if (g.documents.length) out.push("- " + S.documents_h + ": " + g.documents.map(function (d) { return mdText(label("documents", d)); }).join(", "));
      g.contacts.forEach(function (c) { out.push("- " + S.contact_h + ": " + [c.name, c.email, c.url].filter(Boolean).map(mdText).join(", ")); });
      if (g.fees) out.push("- " + fmt("group_fees", { min: num(g.fees.min), max: num(g.fees.max) }));
    });
    h(2, S.legal_h);
    if (plan.basesTotal && plan.common.length) out.push(S.legal_common + " " + plan.common.map(function (b) { return mdText(label("legal-bases", b.id)); }).join(", "));
    else if (plan.basesTotal) out.push("**" + S.legal_conflict + "**");
    if (plan.bases.some(function (b) { return b.missing.length; })) out.push("", S.legal_partial, "");
    plan.bases.filter(function (b) { return b.missing.length; }).forEach(function (b) {
      out.push("- " + mdText(label("legal-bases", b.id)) + " – " + fmt("legal_by", { n: b.sources.length, total: plan.basesTotal }) + "; " + mdText(fmt("legal_not_by", { names: names(b.missing) })));
    });
    h(2, S.time_h);
    if (plan.lead) {
      out.push("**" + fmt("lead_range", { min: plan.lead.min, max: plan.lead.max }) + "**. " + mdText(fmt("slowest", { name: title(plan.lead.slowest), min: plan.lead.slowest.access.lead_time.min_weeks, max: plan.lead.slowest.access.lead_time.max_weeks })), "");
    }
    out.push(S.lead_rule, "");
    if (plan.fees) out.push("**" + fmt("fee_range", { min: num(plan.fees.min), max: num(plan.fees.max) }) + "**", "");
    out.push(S.fee_rule);
    h(2, S.ticked_h);
    var rows = tickedRows();
    if (!rows.length) out.push(S.none_ticked);
    else {
      out.push("| " + [S.col_source, S.col_table, S.col_variable, S.var_title, S.col_type, S.col_unit].join(" | ") + " |", "|---|---|---|---|---|---|");
      rows.forEach(function (r) { out.push("| " + [title(r[6]), r[1], r[2], r[3], r[4], r[5]].map(mdText).join(" | ") + " |"); });
    }
    return out.join("\n") + "\n";
  }
  function copyLink() {
    var input = $("planner-link");
    var done = function () { $("planner-status").textContent = S.copied; };
    var fallback = function () { input.select(); try { document.execCommand("copy"); } catch (err) { /* shown selected */ } done(); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(input.value).then(done, fallback);
    else fallback();
  }

  P.download = download; P.csv = csv; P.markdown = markdown; P.copyLink = copyLink;
})();
