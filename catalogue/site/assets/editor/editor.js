/* The editor page (/editor/, /en/editor/): load an entry's published YAML (?entry=<name or id>)
   or a skeleton (?new=registry|biobank), edit it in a form generated from the JSON Schema profile,
   see the CLI's findings as you type, and take away the YAML file: download, copy, or "propose
   this change" in the repository's web editor. Nothing is sent anywhere; no analytics.
   Needs window.YAML (vendor/yaml.min.js), CatalogueYaml (yamlout.js), CatalogueChecks (checks.js). */
(function () {
  "use strict";
  var app = document.getElementById("editor-app");
  if (!app) return;
  var S = JSON.parse(document.getElementById("editor-strings").textContent);
  var lang = app.getAttribute("data-lang"), base = app.getAttribute("data-base");
  var CY = window.CatalogueYaml, CC = window.CatalogueChecks;
  var D, kind, folder, parsed, value, original = null, externals = {}, terms = {}, isNew = false;
  var $ = function (id) { return document.getElementById(id); };
  var status = $("editor-status");

  var GROUPS = [
    ["summary", ["id", "name", "language", "homepage", "keywords", "data_controller", "data_processor",
      "registry_type", "registry_stage", "registry_stage_year", "themes", "health_categories", "diseases",
      "update_frequency", "time_lag_days", "coding_systems", "legal_basis", "purpose", "personal_data",
      "linked_entries", "contributors", "licenses", "publications", "version", "created", "issued", "modified",
      "last_reviewed", "reviewed_by", "demonstration"]],
    ["coverage", ["coverage"]], ["access", ["access"]], ["dictionary", ["resources"]], ["biobank", ["biobank"]]
  ];
  var SKIP = {"$schema": 1, profile: 1, sources: 1, image: 1, translations: 1, title: 1, description: 1};  // title, description: beside their translation (bilingual)
  var LONG = {description: 1, application_route: 1, conditions: 1, population: 1, purpose: 1, note: 1, demonstration: 1, method: 1};
  var ORG_FIELDS = {data_controller: 1, data_processor: 1, juristic_person: 1};

  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k]; else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) e.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function get(obj, path) { return path.reduce(function (o, k) { return o === undefined || o === null ? undefined : o[k]; }, obj); }
  function set(obj, path, v) {
    var o = obj;
    for (var i = 0; i < path.length - 1; i++) {
      if (o[path[i]] === undefined || o[path[i]] === null) o[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      o = o[path[i]];
    }
    var last = path[path.length - 1];
    if (v === undefined) { if (Array.isArray(o)) o.splice(last, 1); else delete o[last]; } else o[last] = v;
  }
  function idOf(path) { return "f-" + path.join("-").replace(/[^A-Za-z0-9_-]/g, "_"); }
  function vocabFor(path) {
    var fields = Object.assign({}, D.vocabulary_fields.entry, D.vocabulary_fields[kind]);
    var dotted = path.map(function (p) { return typeof p === "number" ? "*" : p; }).join(".");
    return fields[dotted] || fields[dotted + ".*"] || null;
  }
  function label(key, s) { return (S.labels && S.labels[key]) || s.title || key; }

  // --- the form, from the profile --------------------------------------------------------------
  var profile;
  function resolve(s) {
    var optional = false;
    while (s && (s.$ref || s.anyOf)) {
      if (s.$ref) s = profile.$defs[s.$ref.split("/").pop()];
      else {
        var non = s.anyOf.filter(function (x) { return x.type !== "null"; });
        optional = optional || non.length < s.anyOf.length;
        if (non.length !== 1) return {schema: {anyOf: non}, optional: optional};
        s = non[0];
      }
    }
    return {schema: s || {}, optional: optional};
  }

  function help(s, id) { return s.description ? el("p", {"class": "editor-help", id: id + "-help", text: s.description}) : null; }

  function input(path, s, optional, required) {
    var key = String(path[path.length - 1]), id = idOf(path), cur = get(value, path), vocab = vocabFor(path), w;
    var lab = el("label", {"for": id, text: label(key, s) + (required ? " *" : "")});
    if (vocab && s.type === "string") {
      w = el("select", {id: id});
      if (optional || cur === undefined) w.appendChild(el("option", {value: "", text: "—"}));
      D.vocabularies[vocab].forEach(function (t) { w.appendChild(el("option", {value: t.id, text: t[lang] + " (" + t.id + ")"})); });
      if (cur !== undefined && !terms[vocab][cur]) w.appendChild(el("option", {value: cur, text: cur}));
      w.value = cur === undefined ? "" : cur;
    } else if (ORG_FIELDS[key] && s.type === "string") {
      w = el("select", {id: id});
      if (optional) w.appendChild(el("option", {value: "", text: "—"}));
      D.organizations.forEach(function (o) { w.appendChild(el("option", {value: o, text: o})); });
      if (cur !== undefined && D.organizations.indexOf(cur) < 0) w.appendChild(el("option", {value: cur, text: cur}));
      w.value = cur === undefined ? "" : cur;
    } else if (s.type === "integer" || s.type === "number") {
      w = el("input", {id: id, type: "number", step: s.type === "integer" ? "1" : "any"});
      w.value = cur === undefined || cur === null ? "" : cur;
    } else if (s.type === "boolean") {
      w = el("input", {id: id, type: "checkbox"});
      w.checked = !!cur;
    } else if (LONG[key] || (typeof cur === "string" && cur.indexOf("\n") >= 0)) {
      w = el("textarea", {id: id, rows: "4"});
      w.value = cur === undefined ? "" : cur;
    } else {
      w = el("input", {id: id, type: key === "email" ? "email" : "text", readonly: key === "id" && !isNew ? "readonly" : null});
      w.value = cur === undefined || cur === null ? "" : cur;
    }
    if (s.description) w.setAttribute("aria-describedby", id + "-help");
    w.setAttribute("data-path", JSON.stringify(path));
    w.setAttribute("data-type", s.type || "string");
    if (optional) w.setAttribute("data-optional", "1");
    var orig = cur;
    w.addEventListener("input", function () {
      var v;
      if (w.type === "checkbox") v = w.checked ? true : (orig === undefined ? undefined : false);
      else if (w.value === "") v = optional || orig === undefined ? undefined : "";
      else if (s.type === "integer" || s.type === "number") v = Number(w.value);
      else v = w.value;
      set(value, path, v);
      changed();
    });
    return el("div", {"class": "editor-field", "data-for": CC.pointer(path)}, [lab, w, help(s, id)]);
  }

  function listOfStrings(path, s, required) {
    var key = String(path[path.length - 1]), id = idOf(path), vocab = vocabFor(path), cur = get(value, path) || [];
    if (vocab) {
      var box = el("fieldset", {"class": "editor-field editor-choices", "data-for": CC.pointer(path)}, [el("legend", {text: label(key, s) + (required ? " *" : "")})]);
      D.vocabularies[vocab].forEach(function (t, i) {
        var cid = id + "-" + i, c = el("input", {type: "checkbox", id: cid, value: t.id});
        c.checked = cur.indexOf(t.id) >= 0;
        c.addEventListener("change", function () {
          var now = (get(value, path) || []).slice();
          if (c.checked && now.indexOf(t.id) < 0) now.push(t.id);
          if (!c.checked) now = now.filter(function (x) { return x !== t.id; });
          set(value, path, now.length || get(parsed.value, path) !== undefined ? now : undefined);
          changed();
        });
        box.appendChild(el("span", {"class": "editor-choice"}, [c, el("label", {"for": cid, text: t[lang]})]));
      });
      cur.filter(function (x) { return !terms[vocab][x]; }).forEach(function (x) { box.appendChild(el("span", {"class": "editor-choice", text: x})); });
      var h = help(s, id);
      if (h) box.appendChild(h);
      return box;
    }
    var ta = el("textarea", {id: id, rows: String(Math.min(6, Math.max(2, cur.length + 1))), "data-path": JSON.stringify(path), "aria-describedby": id + "-help"});
    ta.value = cur.join("\n");
    ta.addEventListener("input", function () {
      var items = ta.value.split("\n").map(function (x) { return x.trim(); }).filter(Boolean);
      set(value, path, items.length || get(parsed.value, path) !== undefined ? items : undefined);
      changed();
    });
    return el("div", {"class": "editor-field", "data-for": CC.pointer(path)}, [
      el("label", {"for": id, text: label(key, s) + (required ? " *" : "")}), ta,
      el("p", {"class": "editor-help", id: id + "-help", text: (s.description ? s.description + " " : "") + S.one_per_line})]);
  }

  function objectFields(path, s, into) {
    var props = s.properties || {}, req = s.required || [];
    Object.keys(props).forEach(function (k) {
      if (path.length === 0 && SKIP[k]) return;
      into.appendChild(field(path.concat([k]), props[k], req.indexOf(k) >= 0));
    });
  }

  function field(path, raw, required) {
    var r = resolve(raw), s = r.schema, key = String(path[path.length - 1]);
    if (s.type === "array" && resolve(s.items || {}).schema.type === "object") return listOfObjects(path, s, required);
    if (s.type === "array") return listOfStrings(path, s, required);
    if (s.type === "object" && s.properties) {
      var fs = el("fieldset", {"class": "editor-group", "data-for": CC.pointer(path)}, [el("legend", {text: label(key, s)})]);
      objectFields(path, s, fs);
      return fs;
    }
    if (s.anyOf) {  // text or a number (constraints): edited as text
      return input(path, {type: "string", title: s.title || key, description: raw.description}, r.optional, required);
    }
    return input(path, Object.assign({}, s, {description: s.description || raw.description, title: s.title || raw.title}), r.optional, required);
  }

  function listOfObjects(path, s, required) {
    var key = String(path[path.length - 1]), item = resolve(s.items).schema;
    var box = el("fieldset", {"class": "editor-group editor-list", "data-for": CC.pointer(path)}, [el("legend", {text: label(key, s) + (required ? " *" : "")})]);
    (get(value, path) || []).forEach(function (_, i) {
      var one = el("fieldset", {"class": "editor-item"}, [el("legend", {text: label(key, s) + " " + (i + 1)})]);
      objectFields(path.concat([i]), item, one);
      var rm = el("button", {type: "button", "class": "md-button", text: S.remove});
      rm.addEventListener("click", function () { get(value, path).splice(i, 1); changed(); rebuild(); });
      one.appendChild(rm);
      box.appendChild(one);
    });
    var add = el("button", {type: "button", "class": "md-button", text: S.add + ": " + label(key, s)});
    add.addEventListener("click", function () {
      var list = get(value, path) || [], blank = {};
      (item.required || []).forEach(function (k) {
        var t = resolve(item.properties[k]).schema;
        blank[k] = t.type === "array" ? [] : t.type === "integer" || t.type === "number" ? 0 : "";
      });
      list.push(blank);
      set(value, path, list);
      changed();
      rebuild();
    });
    box.appendChild(add);
    return box;
  }

  function bilingual(into) {  // title and description beside their translation
    var other = (value.language === "en" ? "nb" : "en");
    var grid = el("div", {"class": "editor-bilingual"});
    ["title", "description"].forEach(function (k) {
      var s = profile.properties[k];
      var main = input([k], Object.assign({}, s, {title: label(k, s) + " (" + (value.language || "nb") + ")"}), false, true);
      var tr = input(["translations", other, k], {type: "string", title: label(k, s) + " (" + other + ")",
        description: S.translation_help}, true, false);
      if (k === "description") [main, tr].forEach(function (d) {
        var i = d.querySelector("input");
        if (i) { var ta = el("textarea", {id: i.id, rows: "6", "data-path": i.getAttribute("data-path")}); ta.value = i.value; i.replaceWith(ta); rewire(ta, JSON.parse(ta.getAttribute("data-path")), d === tr); }
      });
      grid.appendChild(el("div", {"class": "editor-pair"}, [main, tr]));
    });
    into.appendChild(grid);
  }
  function rewire(ta, path, optional) {
    ta.addEventListener("input", function () { set(value, path, ta.value === "" && optional ? undefined : ta.value); changed(); });
  }

  function dictionary(into) {
    (value.resources || []).forEach(function (res, i) {
      var box = el("fieldset", {"class": "editor-group", "data-for": "/resources/" + i}, [el("legend", {text: S.table + " " + (res.name || i + 1)})]);
      var rs = resolve(profile.$defs.Resource).schema;
      ["name", "title", "description", "path"].forEach(function (k) { box.appendChild(field(["resources", i, k], rs.properties[k], (rs.required || []).indexOf(k) >= 0)); });
      if (typeof res.schema === "string") {
        box.appendChild(el("p", {"class": "editor-note", text: S.external_schema.replace("{file}", res.schema)}));
      } else {
        box.appendChild(variablesTable(i));
      }
      var fileId = "import-" + i, file = el("input", {type: "file", id: fileId, accept: ".csv,.tsv,.txt,.xlsx,.xlsm"});
      file.addEventListener("change", function () { if (file.files[0]) importSheet(i, file.files[0]); });
      box.appendChild(el("div", {"class": "editor-field"}, [el("label", {"for": fileId, text: S.import_sheet}), file,
        el("p", {"class": "editor-help", text: S.import_help})]));
      into.appendChild(box);
    });
  }

  var COLS = [["name", "text"], ["title", "text"], ["description", "text"], ["type", "type"], ["unit", "text"],
    ["categories", "codes"], ["coding_system", "coding"], ["required", "bool"], ["minimum", "num"], ["maximum", "num"]];
  function codesText(c) {
    return (c || []).map(function (x) { return isObj(x) ? (x.label ? x.value + "=" + x.label : String(x.value)) : String(x); }).join("; ");
  }
  function variablesTable(i) {
    var fields = get(value, ["resources", i, "schema", "fields"]) || [];
    var table = el("table", {"class": "editor-dictionary"});
    var head = el("tr");
    COLS.forEach(function (c) { head.appendChild(el("th", {scope: "col", text: S.col[c[0]] || c[0]})); });
    head.appendChild(el("th", {scope: "col", text: S.actions}));
    table.appendChild(el("thead", {}, [head]));
    var body = el("tbody");
    fields.forEach(function (f, j) { body.appendChild(variableRow(i, j, f)); });
    table.appendChild(body);
    var add = el("button", {type: "button", "class": "md-button", text: S.add_variable});
    add.addEventListener("click", function () {
      var list = get(value, ["resources", i, "schema", "fields"]) || [];
      list.push({name: "new_variable_" + (list.length + 1), type: "string"});
      set(value, ["resources", i, "schema", "fields"], list);
      changed(); rebuild();
    });
    return el("div", {}, [el("div", {"class": "editor-table-wrap", role: "region", tabindex: "0", "aria-label": S.dictionary}, [table]), add]);
  }
  function variableRow(i, j, f) {
    var tr = el("tr", {"data-for": "/resources/" + i + "/schema/fields/" + j}), base = ["resources", i, "schema", "fields", j];
    COLS.forEach(function (c) {
      var key = c[0], id = idOf(base.concat([key])), w, path = key === "required" || key === "minimum" || key === "maximum" ? base.concat(["constraints", key]) : base.concat([key]);
      var cur = get(value, path);
      if (c[1] === "type" || c[1] === "coding") {
        w = el("select", {id: id});
        if (c[1] === "coding") w.appendChild(el("option", {value: "", text: "—"}));
        D.vocabularies[c[1] === "type" ? "field-types" : "coding-systems"].forEach(function (t) { w.appendChild(el("option", {value: t.id, text: t.id})); });
        w.value = cur === undefined ? (c[1] === "type" ? "string" : "") : cur;
      } else if (c[1] === "bool") {
        w = el("input", {id: id, type: "checkbox"});
        w.checked = !!cur;
      } else {
        w = el("input", {id: id, type: c[1] === "num" ? "number" : "text", step: "any"});
        w.value = c[1] === "codes" ? codesText(cur) : cur === undefined ? "" : cur;
      }
      w.setAttribute("aria-label", (S.col[key] || key) + " " + (f.name || j + 1));
      w.setAttribute("data-path", JSON.stringify(path));
      w.addEventListener("input", function () {
        var v = w.value;
        if (c[1] === "bool") v = w.checked ? true : (get(parsed.value, path) === undefined ? undefined : false);
        else if (c[1] === "num") v = v === "" ? undefined : Number(v);
        else if (c[1] === "codes") v = v.trim() ? CC.parseCategories(v, get(value, base.concat(["type"])) || "string") : undefined;
        else if (v === "" && key !== "name") v = undefined;
        if (c[1] === "type" && v === "string" && get(parsed.value, path) === undefined) v = undefined;
        set(value, path, v);
        var cons = get(value, base.concat(["constraints"]));
        if (isObj(cons) && !Object.keys(cons).length) set(value, base.concat(["constraints"]), undefined);
        changed();
      });
      tr.appendChild(el("td", {}, [w]));
    });
    var actions = el("td", {"class": "editor-actions"});
    [["↑", -1, S.move_up], ["↓", 1, S.move_down], ["✕", 0, S.remove]].forEach(function (b) {
      var btn = el("button", {type: "button", "class": "md-button", text: b[0], "aria-label": b[2] + " " + (f.name || "")});
      btn.addEventListener("click", function () {
        var list = get(value, ["resources", i, "schema", "fields"]);
        if (b[1] === 0) list.splice(j, 1);
        else { var k = j + b[1]; if (k < 0 || k >= list.length) return; var t = list[j]; list[j] = list[k]; list[k] = t; }
        changed(); rebuild();
      });
      actions.appendChild(btn);
    });
    tr.appendChild(actions);
    return tr;
  }

  // --- CSV and XLSX, read in the browser --------------------------------------------------------
  function unzip(buf) {  // the entries of a zip file (stored or deflated), as {name: Uint8Array promise}
    var v = new DataView(buf), out = {}, eocd = -1;
    for (var i = buf.byteLength - 22; i >= Math.max(0, buf.byteLength - 65557); i--) if (v.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) throw new CC.DictionaryError("not a readable XLSX workbook");
    var n = v.getUint16(eocd + 10, true), p = v.getUint32(eocd + 16, true);
    for (var k = 0; k < n; k++) {
      var method = v.getUint16(p + 10, true), size = v.getUint32(p + 20, true), nameLen = v.getUint16(p + 28, true);
      var extra = v.getUint16(p + 30, true), comment = v.getUint16(p + 32, true), local = v.getUint32(p + 42, true);
      var name = new TextDecoder().decode(new Uint8Array(buf, p + 46, nameLen));
      var start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
      out[name] = {method: method, data: new Uint8Array(buf, start, size)};
      p += 46 + nameLen + extra + comment;
    }
    return out;
  }
  function inflate(entry) {
    if (entry.method === 0) return Promise.resolve(new TextDecoder().decode(entry.data));
    var stream = new Blob([entry.data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text();
  }
  function xlsxRows(buf) {
    var files = unzip(buf), xml = function (t) { return new DOMParser().parseFromString(t, "application/xml"); };
    var sheetName = Object.keys(files).filter(function (f) { return /^xl\/worksheets\/sheet\d+\.xml$/.test(f); }).sort()[0];
    if (!sheetName) throw new CC.DictionaryError("no worksheet in the workbook");
    return Promise.all([files["xl/sharedStrings.xml"] ? inflate(files["xl/sharedStrings.xml"]) : Promise.resolve(""), inflate(files[sheetName])]).then(function (t) {
      var shared = t[0] ? Array.prototype.map.call(xml(t[0]).getElementsByTagName("si"), function (si) {
        return Array.prototype.map.call(si.getElementsByTagName("t"), function (x) { return x.textContent; }).join("");
      }) : [];
      var rows = [];
      Array.prototype.forEach.call(xml(t[1]).getElementsByTagName("row"), function (row) {
        var cells = [];
        Array.prototype.forEach.call(row.getElementsByTagName("c"), function (c) {
          var ref = c.getAttribute("r") || "", col = 0, letters = /^[A-Z]+/.exec(ref);
          if (letters) for (var q = 0; q < letters[0].length; q++) col = col * 26 + letters[0].charCodeAt(q) - 64;
          col = col ? col - 1 : cells.length;
          var vEl = c.getElementsByTagName("v")[0], type = c.getAttribute("t"), text = "";
          if (type === "s") text = shared[+vEl.textContent] || "";
          else if (type === "inlineStr") text = Array.prototype.map.call(c.getElementsByTagName("t"), function (x) { return x.textContent; }).join("");
          else if (vEl) { text = vEl.textContent; if (type === "b") text = text === "1" ? "True" : "False"; else if (/^-?\d+\.0+$/.test(text)) text = text.replace(/\.0+$/, ""); }
          while (cells.length < col) cells.push("");
          cells[col] = text;
        });
        rows.push(cells);
      });
      return rows;
    });
  }
  function importSheet(i, file) {
    var isX = /\.xlsx?m?$/i.test(file.name);
    file.arrayBuffer().then(function (buf) {
      if (isX) return xlsxRows(buf);
      var text;
      try { text = new TextDecoder("utf-8", {fatal: true}).decode(buf); } catch (e) { text = new TextDecoder("windows-1252").decode(buf); }
      return CC.parseCsv(text);
    }).then(function (rows) {
      var schema = CC.toSchema(rows, file.name, D.vocabularies["coding-systems"].map(function (t) { return t.id; }));
      var res = value.resources[i];
      res.schema = Object.assign({}, isObj(res.schema) ? res.schema : {}, {fields: schema.fields});
      changed(); rebuild();
      say(S.imported.replace("{n}", schema.fields.length).replace("{file}", file.name));
    }).catch(function (e) { say(e.message || String(e), true); });
  }

  // --- findings, output, propose --------------------------------------------------------------
  function withExternals(v) {
    if (!v || !Array.isArray(v.resources)) return v;
    var copy = JSON.parse(JSON.stringify(v));
    copy.resources.forEach(function (r) { if (r && typeof r.schema === "string" && externals[r.schema]) r.schema = externals[r.schema]; });
    return copy;
  }
  var lastFindings = [];
  function check() {
    var found = CC.validate(withExternals(value), {D: D, kind: kind, folder: isNew ? value.name : folder.split("/").pop(),
      original: original, terms: terms, today: app.getAttribute("data-today")});
    lastFindings = found;
    var list = $("editor-findings");
    list.textContent = "";
    document.querySelectorAll("[aria-invalid]").forEach(function (x) { x.removeAttribute("aria-invalid"); });
    var errors = found.filter(function (f) { return f.severity === "error"; }).length;
    found.forEach(function (f) {
      var li = el("li", {"class": "editor-finding editor-" + f.severity, "data-code": f.code, "data-path": f.path}, [
        el("strong", {text: (f.severity === "error" ? S.error : S.warning) + " [" + f.code + "] "}),
        el("span", {text: f.message + " "}), el("span", {"class": "editor-hint", text: S.fix + ": " + f.hint})]);
      var target = findInput(f.path);
      if (target) {
        if (f.severity === "error") target.setAttribute("aria-invalid", "true");
        var go = el("button", {type: "button", "class": "md-button editor-go", text: S.go_to});
        go.addEventListener("click", function () { target.focus(); });
        li.appendChild(go);
      }
      list.appendChild(li);
    });
    $("editor-summary").textContent = found.length ? S.n_findings.replace("{errors}", errors).replace("{warnings}", found.length - errors) : S.no_findings;
    app.setAttribute("data-findings", found.map(function (f) { return f.code; }).join(" "));
    return found;
  }
  function findInput(path) {
    var parts = path.split("/").slice(1);
    while (parts.length) {
      var json = JSON.stringify(parts.map(function (p) { return /^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, "/").replace(/~0/g, "~"); }));
      var hit = app.querySelector("[data-path='" + json.replace(/'/g, "\\'") + "']");
      if (hit) return hit;
      parts.pop();
    }
    return null;
  }

  var pending = null;
  function changed() {
    check();
    if (pending) clearTimeout(pending);
    pending = setTimeout(output, 150);
  }
  function text() { return CY.write(parsed, value); }
  function output() {
    pending = null;
    var out = text(), before = isNew ? "" : parsed.text, d = CY.diff(before, out);
    $("editor-yaml").textContent = out;
    var pre = $("editor-diff");
    pre.textContent = "";
    if (!d.changed && !isNew) pre.textContent = S.no_changes;
    d.lines.forEach(function (l) {
      if (l[0] === " " && !d.changed) return;
      pre.appendChild(el("span", {"class": l[0] === "+" ? "editor-add" : l[0] === "-" ? "editor-del" : "", text: l[0] + " " + l[1] + "\n"}));
    });
    app.setAttribute("data-state", "ready");
    propose(out);
    return out;
  }
  function repoPath() {
    var name = isNew ? value.name : folder.split("/").pop();
    return D.metadata_path + "/" + (kind === "registry" ? "registries" : "biobanks") + "/" + name + "/datapackage.yaml";
  }
  function propose(out) {
    var a = $("editor-propose"), r = D.repository, path = repoPath();
    $("editor-path").textContent = path;
    if (!r || !r.url) { a.hidden = true; return; }
    a.hidden = false;
    var gitlab = r.kind === "gitlab";
    if (isNew) {
      var dir = path.replace(/\/[^\/]+$/, ""), fname = "datapackage.yaml";
      a.href = gitlab ? r.url + "/-/new/" + r.branch + "/" + dir + "?file_name=" + fname + "&content=" + encodeURIComponent(out)
        : r.url + "/new/" + r.branch + "/" + dir + "?filename=" + fname + "&value=" + encodeURIComponent(out);
    } else {
      a.href = gitlab ? r.url + "/-/edit/" + r.branch + "/" + path : r.url + "/edit/" + r.branch + "/" + path;
    }
  }
  function say(msg, bad) { status.textContent = msg; status.className = bad ? "editor-bad" : ""; }

  function rebuild() {
    var form = $("editor-form");
    form.textContent = "";
    var used = {};
    GROUPS.forEach(function (g) { g[1].forEach(function (k) { used[k] = 1; }); });
    GROUPS.forEach(function (g) {
      var keys = g[1].filter(function (k) { return profile.properties[k]; });
      if (!keys.length) return;
      if (g[0] === "summary") keys = keys.concat(Object.keys(profile.properties).filter(function (k) { return !used[k] && !SKIP[k]; }));
      var sec = el("section", {"class": "editor-section", "aria-labelledby": "editor-h-" + g[0]}, [el("h2", {id: "editor-h-" + g[0], text: S.groups[g[0]]})]);
      if (g[0] === "summary") bilingual(sec);
      if (g[0] === "dictionary") dictionary(sec);
      else keys.forEach(function (k) {
        var s = resolve(profile.properties[k]).schema;
        if (s.type === "object" && s.properties && g[0] !== "summary") objectFields([k], s, sec);
        else sec.appendChild(field([k], profile.properties[k], (profile.required || []).indexOf(k) >= 0));
      });
      form.appendChild(sec);
    });
    check();
    output();
  }

  function start(text, isNewEntry) {
    isNew = isNewEntry;
    parsed = CY.parse(text);
    value = JSON.parse(JSON.stringify(parsed.value));
    profile = D.profiles[kind];
    rebuild();
    $("editor-main").hidden = false;
    say(isNew ? S.started_new : S.loaded.replace("{path}", repoPath()));
  }

  function fetchText(url) { return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ": " + r.status); return r.text(); }); }

  function load() {
    var q = new URLSearchParams(location.search), wanted = q.get("entry"), fresh = q.get("new");
    if (fresh === "registry" || fresh === "biobank") {
      kind = fresh;
      var today = app.getAttribute("data-today");
      var uuid = crypto.randomUUID ? crypto.randomUUID() : "00000000-0000-4000-8000-000000000000";
      var name = "new-" + fresh;
      var t = D.skeletons[fresh].replace(/__UUID__/g, uuid).replace(/__NAME__/g, name)
        .replace(/__TITLE__/g, fresh === "registry" ? S.new_registry : S.new_biobank)
        .replace(/__TODAY__/g, today).replace(/__YEAR__/g, today.slice(0, 4)).replace(/__ORG__/g, D.organizations[0] || "organisation")
        .replace(/__EMAIL__/g, ["post", "example.org"].join("@"));  // as `catalogue new` writes it
      folder = (fresh === "registry" ? "registries/" : "biobanks/") + name;
      start(t, true);
      return;
    }
    if (!wanted) { say(S.choose); $("editor-choose").hidden = false; return; }
    var e = D.entries.filter(function (x) { return x.name === wanted || x.id === wanted; })[0];
    if (!e) { say(S.not_found.replace("{entry}", wanted), true); $("editor-choose").hidden = false; return; }
    kind = e.kind; folder = e.folder; original = {id: e.id, name: e.name};
    var src = base + "source/" + e.folder + "/";
    Promise.all([fetchText(src + "datapackage.yaml")].concat(e.schemas.map(function (s) { return fetchText(src + s); }))).then(function (texts) {
      e.schemas.forEach(function (s, i) { externals[s] = CY.parse(texts[i + 1]).value; });
      start(texts[0], false);
    }).catch(function (err) { say(err.message, true); });
  }

  function setupButtons() {
    $("editor-download").addEventListener("click", function () {
      var blob = new Blob([output()], {type: "application/yaml"}), a = el("a", {href: URL.createObjectURL(blob), download: "datapackage.yaml"});
      document.body.appendChild(a); a.click(); a.remove();
    });
    $("editor-copy").addEventListener("click", function () {
      var out = output();
      (navigator.clipboard ? navigator.clipboard.writeText(out) : Promise.reject()).then(function () { say(S.copied); }, function () { say(S.copy_failed, true); });
    });
    $("editor-propose").addEventListener("click", function () {
      output();
      if (!isNew && navigator.clipboard) navigator.clipboard.writeText(text()).then(function () {}, function () {});
    });
  }

  fetch(base + "data/index.json").then(function (r) { return r.json(); }).then(function (data) {
    D = data;
    Object.keys(D.vocabularies).forEach(function (v) { terms[v] = {}; D.vocabularies[v].forEach(function (t) { terms[v][t.id] = 1; }); });
    var list = $("editor-entries");
    D.entries.slice().sort(function (a, b) { return a.title.localeCompare(b.title); }).forEach(function (e) {
      list.appendChild(el("li", {}, [el("a", {href: "?entry=" + encodeURIComponent(e.name), text: e.title})]));
    });
    setupButtons();
    load();
  }).catch(function (e) { say(e.message || String(e), true); });

  window.CatalogueEditor = {text: function () { return text(); }, findings: function () { return lastFindings; },
    check: check, value: function () { return value; }};
})();
