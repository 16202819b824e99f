/* The editor's validation: the checks of `catalogue validate` that need no other file, and the
   cross-entry checks against the published catalogue's list. Same finding codes, messages and
   hints as the CLI (validators/rules.yaml, published in editor/data/index.json). Pure functions
   over parsed data, so one keystroke re-validates the whole entry in a few milliseconds.
   Exposes window.CatalogueChecks = {validate, findNationalIds, parseCategories, toSchema, ...}. */
(function () {
  "use strict";

  var PATTERN_CODES = [["https?://", "invalid-url"], ["mailto", "invalid-url"], ["[^@\\s]+@", "invalid-email"],
    ["\\d{4}-\\d{2}-\\d{2}", "invalid-date"], ["[0-9a-f]{8}-", "invalid-uuid"], ["[a-z0-9][a-z0-9-]", "invalid-name"]];
  var CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;
  var ID_MESSAGE = "This looks like a Norwegian national identity number or D-number.";
  var RANGES = [["coverage", "start_year", "end_year"], ["coverage", "age_min", "age_max"],
    ["access/lead_time", "min_weeks", "max_weeks"], ["access/fees", "min_nok", "max_nok"]];
  var CI_ONLY = ["frictionless-invalid", "linked-entry-one-way", "yaml-syntax", "file-too-large", "yaml-too-many-nodes"];

  function pointer(parts) {
    return parts.map(function (p) { return "/" + String(p).replace(/~/g, "~0").replace(/\//g, "~1"); }).join("");
  }
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function repr(v) {  // Python's repr of a str, as the CLI's messages show values
    if (typeof v !== "string") return String(v);
    return v.indexOf("'") >= 0 && v.indexOf('"') < 0 ? '"' + v + '"' : "'" + v.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
  }
  function typeName(v) {
    if (isObj(v)) return "a mapping";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "string") return "text";
    if (typeof v === "boolean") return "true/false";
    if (typeof v === "number") return "a number";
    return "empty";
  }
  function issue(code, path, message, hint) { return {code: code, path: path, message: message, extraHint: hint || ""}; }

  // --- national identity numbers (catalogue/identity.py) --------------------------------------
  var W1 = [3, 7, 6, 1, 8, 9, 4, 5, 2], W2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  function checkDigit(d, w) {
    var s = 0;
    for (var i = 0; i < w.length; i++) s += d[i] * w[i];
    var rest = 11 - s % 11;
    return rest === 11 ? 0 : rest === 10 ? null : rest;
  }
  function isNationalId(n) {
    if (!/^\d{11}$/.test(n)) return false;
    var d = n.split("").map(Number);
    if (checkDigit(d.slice(0, 9), W1) !== d[9] || checkDigit(d.slice(0, 10), W2) !== d[10]) return false;
    var day = +n.slice(0, 2), month = +n.slice(2, 4);
    if (day > 40) day -= 40;
    if (month > 80) month -= 80; else if (month > 40) month -= 40;
    if (month < 1 || month > 12) return false;
    return day >= 1 && day <= new Date(2000, month, 0).getDate();
  }
  var SEP = "[ \\t]*(?:(?:\\r?\\n|[.\\-])[ \\t]*)?";
  var RUN = new RegExp("(?<!\\d)\\d\\d+(?:" + SEP + "\\d\\d+)*", "g");
  function isAlpha(c) { return !!c && /\p{L}/u.test(c); }
  function findNationalIds(text, limit) {
    var found = [];
    if (text.length < 11 || !/\d/.test(text)) return found;
    RUN.lastIndex = 0;
    var m;
    while ((m = RUN.exec(text))) {
      var run = m[0];
      if (run.length < 11) continue;
      var groups = [], offs = [], g = /\d+/g, x;
      while ((x = g.exec(run))) { groups.push(x[0]); offs.push(x.index); }
      var digits = groups.join(""), cums = [0];
      groups.forEach(function (gr) { cums.push(cums[cums.length - 1] + gr.length); });
      for (var a = 0; a < cums.length; a++) {
        var b = cums.indexOf(cums[a] + 11);
        if (b < 0) continue;
        var number = digits.slice(cums[a], cums[a] + 11);
        if (!isNationalId(number)) continue;
        var begin = m.index + offs[a], last = b - 1;
        var end = m.index + offs[last] + groups[last].length;
        if (last > a && (isAlpha(text[begin - 1]) || isAlpha(text[end]))) continue;
        found.push([begin, number]);
        if (found.length === limit) return found;
      }
    }
    return found;
  }

  // --- look-alikes (catalogue/lookalike.py) ---------------------------------------------------
  var confusable = null;
  function skeleton(text, table) {
    if (!confusable) {
      confusable = {};
      Object.keys(table).forEach(function (latin) { Array.from(table[latin]).forEach(function (c) { confusable[c] = latin; }); });
    }
    var folded = Array.from(text.normalize("NFKC")).map(function (c) { return confusable[c] || c; }).join("");
    return folded.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  // --- the JSON Schema profile (the subset the generated profiles use) -------------------------
  function Profile(root) { this.root = root; }
  Profile.prototype.resolve = function (s) {
    while (s && s.$ref) s = this.root.$defs[s.$ref.split("/").pop()];
    return s || {};
  };
  Profile.prototype.errors = function (s, v, path, out) {
    s = this.resolve(s);
    var name = path.length ? String(path[path.length - 1]) : "the file", at = pointer(path), self = this;
    if (s.anyOf) {
      var tries = s.anyOf.map(function (sub) { var e = []; self.errors(sub, v, path, e); return e; });
      if (tries.some(function (e) { return !e.length; })) return;
      var useful = s.anyOf.map(function (sub, i) { return [self.resolve(sub), tries[i]]; })
        .filter(function (p) { return p[0].type !== "null"; });
      var typed = useful.filter(function (p) { return !p[1].some(function (e) { return e.code === "wrong-type" && e.path === at; }); });
      var best = (typed.length ? typed : useful)[0];
      if (best && (typed.length || useful.length === 1)) { best[1].forEach(function (e) { out.push(e); }); return; }
      out.push(issue("wrong-type", at, "`" + name + "` must be " + (useful.map(function (p) { return p[0].type; }).filter(Boolean)[0] || "another kind of value") + ", not " + typeName(v) + "."));
      return;
    }
    if (s.type) {
      var ok = {string: typeof v === "string", integer: typeof v === "number" && Math.floor(v) === v,
        number: typeof v === "number", boolean: typeof v === "boolean", object: isObj(v), array: Array.isArray(v),
        "null": v === null}[s.type];
      if (!ok) { out.push(issue("wrong-type", at, "`" + name + "` must be " + repr(s.type) + ", not " + typeName(v) + ".")); return; }
    }
    if (s.enum && s.enum.indexOf(v) < 0) out.push(issue("invalid-value", at, "`" + name + "`: " + repr(v) + " is not one of " + JSON.stringify(s.enum)));
    if (typeof v === "string") {
      if (s.minLength && v.length < s.minLength) out.push(issue("invalid-value", at, "`" + name + "`: " + repr(v) + " should be non-empty"));
      if (s.pattern && !new RegExp(s.pattern, "u").test(v)) {
        var code = "invalid-value";
        PATTERN_CODES.forEach(function (p) { if (code === "invalid-value" && s.pattern.indexOf(p[0]) >= 0) code = p[1]; });
        out.push(issue(code, at, "`" + name + "`: " + repr(v) + " is not a valid value."));
      }
    }
    if (typeof v === "number") {
      if (s.minimum !== undefined && v < s.minimum) out.push(issue("invalid-value", at, "`" + name + "`: " + v + " is less than the minimum of " + s.minimum));
      if (s.maximum !== undefined && v > s.maximum) out.push(issue("invalid-value", at, "`" + name + "`: " + v + " is greater than the maximum of " + s.maximum));
    }
    if (Array.isArray(v)) {
      if (s.minItems && v.length < s.minItems) out.push(issue("missing-field", at, "`" + name + "` needs at least one item."));
      if (s.items) v.forEach(function (item, i) { self.errors(s.items, item, path.concat([i]), out); });
    }
    if (isObj(v)) {
      var props = s.properties || {};
      (s.required || []).forEach(function (k) {
        if (!(k in v)) out.push(issue("missing-field", at + "/" + k, "`" + k + "` is required in " + (path.length ? "`" + name + "`" : "the file") + "."));
      });
      Object.keys(v).forEach(function (k) {
        if (props[k]) self.errors(props[k], v[k], path.concat([k]), out);
        else if (s.propertyNames && s.propertyNames.enum && s.propertyNames.enum.indexOf(k) < 0) out.push(issue("invalid-value", at, "`" + name + "`: " + repr(k) + " is not one of " + JSON.stringify(s.propertyNames.enum)));
        else if (isObj(s.additionalProperties)) self.errors(s.additionalProperties, v[k], path.concat([k]), out);
        else if (s.additionalProperties === false) out.push(issue("unknown-field", at + "/" + k, "`" + k + "` is not a field here."));
      });
    }
  };

  // --- every check ------------------------------------------------------------------------------
  function strings(data, at, out) {
    if (isObj(data)) Object.keys(data).forEach(function (k) { out.push([at + "/" + k, k]); strings(data[k], at + "/" + k, out); });
    else if (Array.isArray(data)) data.forEach(function (v, i) { strings(v, at + "/" + i, out); });
    else if (typeof data === "string" || typeof data === "number") out.push([at, String(data)]);
    return out;
  }
  function walk(data, dotted) {  // vocabularies.walk: dotted path with * for every item
    var found = [["", data]];
    dotted.split(".").forEach(function (part) {
      var next = [];
      found.forEach(function (f) {
        var here = f[0], v = f[1];
        if (part === "*") { if (Array.isArray(v)) v.forEach(function (x, i) { next.push([here + "/" + i, x]); }); }
        else if (isObj(v) && part in v) next.push([here + "/" + part, v[part]]);
      });
      found = next;
    });
    return found;
  }
  function realDate(v) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
    if (!m) return true;
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
  }
  function addMonths(y, m, d, months) {
    var total = m - 1 + months, yy = y + Math.floor(total / 12), mm = total % 12 + 1;
    var last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
    return new Date(Date.UTC(yy, mm - 1, Math.min(d, last)));
  }

  /* All findings for one entry. ctx: {D (editor data), kind, folder, original: {id, name} of the
     published entry being edited (or null), today: "YYYY-MM-DD"}. */
  function validate(data, ctx) {
    var D = ctx.D, issues = [];
    if (!isObj(data)) return place([issue("not-a-mapping", "", "The file holds " + typeName(data) + ", not a mapping of fields.")], D);
    var resources = Array.isArray(data.resources) ? data.resources : [];
    var flagged = {};
    resources.forEach(function (res, i) {  // checks.resource_safety_issues
      if (!isObj(res)) return;
      if ("data" in res) { issues.push(issue("inline-data", "/resources/" + i + "/data", "Resource holds inline `data`: the catalogue never holds data rows.")); flagged["/resources/" + i + "/data"] = 1; }
      if (typeof res.path === "string" && !/^https?:\/\//.test(res.path)) { issues.push(issue("data-file", "/resources/" + i + "/path", "`path` " + repr(res.path) + " points at a file; a resource's path is an https URL.")); flagged["/resources/" + i + "/path"] = 1; }
    });
    var total = 0, limit = D.limits.max_variables;  // checks.variable_count_issues
    resources.some(function (res, i) {
      var f = isObj(res) && isObj(res.schema) && Array.isArray(res.schema.fields) ? res.schema.fields.length : 0;
      total += f;
      if (total > limit) { issues.push(issue("too-many-variables", "/resources/" + i + "/schema/fields", "The entry has more than " + limit.toLocaleString("en") + " variables (at least " + total.toLocaleString("en") + ").")); return true; }
      return false;
    });
    // the format's rules (checks.entry_rule_issues)
    if (typeof data.name === "string" && ctx.folder && data.name !== ctx.folder) issues.push(issue("name-mismatch", "/name", "`name` is " + repr(data.name) + " but the folder is " + repr(ctx.folder) + "."));
    var contributors = data.contributors;
    if (Array.isArray(contributors) && contributors.length && !contributors.some(function (c) { return isObj(c) && Array.isArray(c.roles) && c.roles.indexOf("contact") >= 0; }))
      issues.push(issue("missing-contact-point", "/contributors", "No contributor has the role `contact`."));
    if (ctx.kind === "registry" && data.registry_stage != null && data.registry_type != null && data.registry_type !== "national-quality-registry")
      issues.push(issue("stage-not-applicable", "/registry_stage", "`registry_stage` is set, but the entry is not a national quality registry."));
    if (typeof data.language === "string" && !(isObj(data.translations) && Object.keys(data.translations).some(function (l) { return l !== data.language; })))
      issues.push(issue("missing-translation", "/language", "Title and description are in one language only."));
    ["issued", "modified", "last_reviewed"].forEach(function (key) {
      var v = data[key];
      if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v) && !realDate(v)) issues.push(issue("invalid-date", "/" + key, "`" + key + "` " + repr(v) + " is not a date in the calendar."));
    });
    RANGES.forEach(function (r) {
      var node = data;
      r[0].split("/").forEach(function (p) { node = isObj(node) ? node[p] : undefined; });
      if (!isObj(node)) return;
      var lo = node[r[1]], hi = node[r[2]];
      if (typeof lo === "number" && typeof hi === "number" && lo > hi) issues.push(issue("invalid-range", "/" + r[0] + "/" + r[2], "`" + r[1] + "` (" + lo + ") is greater than `" + r[2] + "` (" + hi + ")."));
    });
    var cov = data.coverage;
    if (isObj(cov) && Array.isArray(cov.coverage_rates)) cov.coverage_rates.forEach(function (rate, i) {
      if (isObj(rate) && typeof cov.start_year === "number" && typeof rate.year === "number" && rate.year < cov.start_year)
        issues.push(issue("invalid-range", "/coverage/coverage_rates/" + i + "/year", "A coverage rate for " + rate.year + " is before `start_year` (" + cov.start_year + ")."));
    });
    resources.forEach(function (res, i) {  // duplicate variables
      var fields = isObj(res) && isObj(res.schema) && Array.isArray(res.schema.fields) ? res.schema.fields : [];
      var seen = {};
      fields.forEach(function (f, j) {
        if (isObj(f) && typeof f.name === "string") {
          if (seen[f.name]) issues.push(issue("duplicate-variable", "/resources/" + i + "/schema/fields/" + j + "/name", "`" + f.name + "` appears twice."));
          seen[f.name] = 1;
        }
      });
    });
    // the profile, then the vocabularies
    var profile = [];
    new Profile(D.profiles[ctx.kind]).errors({$ref: "#"}, data, [], profile);
    profile = profile.filter(function (i) { return !flagged[i.path]; });
    issues = issues.concat(profile);
    var vocabFields = Object.assign({}, D.vocabulary_fields.entry, D.vocabulary_fields[ctx.kind]);
    Object.keys(vocabFields).forEach(function (dotted) {
      var name = vocabFields[dotted], terms = ctx.terms[name];
      walk(data, dotted).forEach(function (f) {
        if (typeof f[1] === "string" && !terms[f[1]]) issues.push(issue("unknown-term", f[0], repr(f[1]) + " is not in the vocabulary `" + name + "`."));
      });
    });
    // safety: identity numbers, control characters, URLs, lengths (every text and key)
    var all = strings(data, "", []), maxText = D.limits.max_text_length;
    all.forEach(function (s) {
      var at = s[0], text = s[1], c = CONTROL.exec(text);
      if (c) issues.push(issue("control-character", at, describe(c[0]) + " is invisible or changes how the text around it is shown."));
      if (text.length >= 11 && findNationalIds(text, 1).length) issues.push(issue("national-id-number", at, ID_MESSAGE));
      if (text.length > maxText) issues.push(issue("text-too-long", at, "The text has " + text.length.toLocaleString("en") + " characters; the limit is " + maxText.toLocaleString("en") + "."));
      var scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text);
      if (scheme && text.trim().indexOf(" ") < 0) {
        var sch = scheme[1].toLowerCase();
        if (sch === "http" || sch === "https") {
          var host = /^https?:\/\/([^\/?#@]*@)?([^\/?#:]+)/i.exec(text);
          if (!host) issues.push(issue("invalid-url", at, repr(text) + " has no host name."));
        } else if (sch === "mailto") {
          if (!/^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$/.test(text.slice(7).split("?")[0])) issues.push(issue("invalid-email", at, repr(text) + " is no e-mail address."));
        } else if (["javascript", "data", "file", "vbscript", "ftp"].indexOf(sch) >= 0 || text.indexOf("//") >= 0) {
          issues.push(issue("invalid-url", at, repr(text) + " uses `" + sch + ":`; only http, https and mailto are allowed."));
        }
      }
    });
    // across the catalogue, against the published list (crossref.cross_issues)
    var mine = ctx.original || {};
    D.entries.forEach(function (e) {
      if (e.id === mine.id && e.name === mine.name) return;  // the published version of this entry
      if (data.id && e.id === data.id) issues.push(issue("duplicate-id", "/id", "The id " + data.id + " is also used by metadata/" + e.folder + "/datapackage.yaml."));
      if (typeof data.name === "string" && e.name.normalize("NFKC").toLowerCase() === data.name.normalize("NFKC").toLowerCase())
        issues.push(issue("duplicate-name", "/name", "The name " + repr(data.name) + " is also used by metadata/" + e.folder + "/datapackage.yaml."));
      if (typeof data.title === "string" && e.title && skeleton(e.title, D.confusables) === skeleton(data.title, D.confusables)) {
        var how = e.title === data.title ? "is the same as" : "looks the same as";
        issues.push(issue("confusable-duplicate", "/title", repr(data.title) + " " + how + " " + repr(e.title) + " in metadata/" + e.folder + "/datapackage.yaml."));
      }
    });
    [["/data_controller", data.data_controller], ["/data_processor", data.data_processor],
      ["/biobank/juristic_person", isObj(data.biobank) ? data.biobank.juristic_person : null]].forEach(function (r) {
      if (typeof r[1] === "string" && D.organizations.indexOf(r[1]) < 0)
        issues.push(issue("unknown-organization", r[0], "No organisation " + repr(r[1]) + ": metadata/organizations/" + r[1] + ".yaml does not exist."));
    });
    var names = {};
    D.entries.forEach(function (e) { names[e.name] = 1; });
    if (Array.isArray(data.linked_entries)) data.linked_entries.forEach(function (n, i) {
      if (typeof n === "string" && !names[n]) issues.push(issue("unknown-linked-entry", "/linked_entries/" + i, "No registry or biobank " + repr(n) + "."));
    });
    // the review cadence (catalogue/review.py)
    var months = D.review_interval_months, last = /^(\d{4})-(\d{2})-(\d{2})/.exec(data.last_reviewed || "");
    if (!data.last_reviewed) issues.push(issue("review-due", "", "The entry has no `last_reviewed` date; reviews are due every " + months + " months."));
    else if (last && realDate(data.last_reviewed)) {
      var due = addMonths(+last[1], +last[2], +last[3], months), today = new Date(ctx.today + "T00:00:00Z");
      if (due <= today) {
        var late = Math.round((today - due) / 86400000);
        issues.push(issue("review-due", "/last_reviewed", "Last reviewed on " + last[0] + ", more than " + months + " months ago: the review was due on " + due.toISOString().slice(0, 10) + " (" + (late === 1 ? "1 day" : late + " days") + " ago)."));
      }
    }
    return place(dedupe(issues), D);
  }

  function describe(ch) {
    var names = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x85": "NEL (next line)", "\ufeff": "a byte order mark",
      "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202a": "LEFT-TO-RIGHT EMBEDDING",
      "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING", "\u2066": "LEFT-TO-RIGHT ISOLATE",
      "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
      "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"};
    var hex = ch.charCodeAt(0).toString(16).toUpperCase();
    while (hex.length < 4) hex = "0" + hex;
    return "U+" + hex + " " + (names[ch] || "a control character");
  }
  function dedupe(issues) {
    var seen = {};
    return issues.filter(function (i) { var k = i.code + " " + i.path; if (seen[k]) return false; seen[k] = 1; return true; });
  }
  function place(issues, D) {
    return issues.map(function (i) {
      var rule = D.rules[i.code] || {severity: "error", hint: ""};
      return {code: i.code, severity: rule.severity, title: rule.title, path: i.path, message: i.message,
        hint: i.extraHint ? i.extraHint + " " + rule.hint : rule.hint};
    });
  }

  // --- data dictionaries from a sheet (catalogue/dictionary.py) -------------------------------
  var HEADINGS = {
    name: ["name", "variable", "variabel", "variabelnavn", "field", "kolonne", "column"],
    title: ["title", "tittel", "label", "etikett", "ledetekst", "navn"],
    description: ["description", "beskrivelse", "definisjon", "definition", "forklaring"],
    type: ["type", "datatype", "data type", "format", "variabeltype"],
    unit: ["unit", "enhet", "måleenhet"],
    categories: ["categories", "kodeliste", "koder", "codes", "verdier", "values", "svaralternativer"],
    missing: ["missing", "missing values", "manglende", "manglende verdier", "ukjent"],
    required: ["required", "påkrevd", "obligatorisk"],
    minimum: ["minimum", "min", "minste verdi"],
    maximum: ["maximum", "max", "største verdi"],
    coding_system: ["coding system", "coding_system", "kodeverk", "klassifikasjon"]
  };
  var TYPE_WORDS = {
    string: ["string", "text", "tekst", "str", "char", "varchar", "fritekst"],
    integer: ["integer", "int", "heltall", "tall (heltall)", "kategori", "kode", "categorical"],
    number: ["number", "numeric", "desimal", "desimaltall", "float", "decimal", "tall", "real"],
    date: ["date", "dato"], datetime: ["datetime", "dato og tid", "tidspunkt", "timestamp"],
    time: ["time", "klokkeslett", "tid"], "boolean": ["boolean", "bool", "ja/nei", "yes/no", "boolsk"],
    year: ["year", "år", "årstall"]
  };
  var TRUE_WORDS = ["ja", "yes", "true", "1", "x", "sann"];
  function norm(h) { return String(h || "").trim().toLowerCase().replace(/_/g, " ").replace(/\s+/g, " "); }
  function DictionaryError(msg) { this.message = msg; }
  function parseCategories(text, kind) {
    var out = [];
    text.split(/[;|\n]/).forEach(function (part) {
      part = part.trim();
      if (!part) return;
      var m = /^([^=:]+?)\s*[=:]\s*(.+)$/.exec(part);
      var value = m ? m[1].trim() : part, label = m ? m[2].trim() : null;
      var val = kind === "integer" && /^-?\d+$/.test(value) ? parseInt(value, 10) : value;
      out.push(label ? {value: val, label: label} : {value: val});
    });
    return out;
  }
  function toNumber(text, where) {
    var v = Number(text.replace(",", "."));
    if (text.trim() === "" || isNaN(v)) throw new DictionaryError(where + ": " + repr(text) + " is not a number.");
    return v;
  }
  function toSchema(rows, file, codingTerms) {
    rows = rows.filter(function (r) { return r.some(function (c) { return String(c).trim(); }); });
    if (!rows.length) throw new DictionaryError(file + ": the sheet is empty.");
    var cols = {};
    rows[0].forEach(function (cell, i) {
      var h = norm(cell);
      Object.keys(HEADINGS).forEach(function (k) { if (HEADINGS[k].indexOf(h) >= 0 && !(k in cols)) cols[k] = i; });
    });
    if (!("name" in cols)) throw new DictionaryError(file + ": row 1 has no column for the variable name; name one of the columns 'name', 'variable', 'variabel', 'variabelnavn'.");
    var fields = [], seen = {};
    rows.slice(1).forEach(function (row, n) {
      var where = file + ":row " + (n + 2);
      var cell = function (k) { var i = cols[k]; return i !== undefined && i < row.length ? String(row[i]).trim() : ""; };
      var name = cell("name");
      if (!name) throw new DictionaryError(where + ": the variable name is empty.");
      if (seen[name]) throw new DictionaryError(where + ": " + repr(name) + " is also on row " + seen[name] + ".");
      seen[name] = n + 2;
      var f = {name: name};
      ["title", "description", "unit"].forEach(function (k) { if (cell(k)) f[k] = cell(k); });
      var w = norm(cell("type")), type = w ? null : "string";
      Object.keys(TYPE_WORDS).forEach(function (k) { if (!type && TYPE_WORDS[k].indexOf(w) >= 0) type = k; });
      if (!type) throw new DictionaryError(where + ": unknown type " + repr(cell("type")) + "; use one of " + Object.keys(TYPE_WORDS).join(", ") + ".");
      f.type = type;
      if (cell("categories")) f.categories = parseCategories(cell("categories"), type);
      if (cell("missing")) f.missingValues = cell("missing").split(/[;,|]/).map(function (v) { return v.trim(); }).filter(Boolean);
      var constraints = {};
      if (TRUE_WORDS.indexOf(norm(cell("required"))) >= 0) constraints.required = true;
      ["minimum", "maximum"].forEach(function (k) { if (cell(k)) constraints[k] = toNumber(cell(k), where); });
      if (Object.keys(constraints).length) f.constraints = constraints;
      var system = cell("coding_system");
      if (system) {
        var match = codingTerms.filter(function (t) { return t.toLowerCase() === system.toLowerCase().replace(/ /g, "-"); })[0];
        if (!match) throw new DictionaryError(where + ": coding system " + repr(system) + " is not in the vocabulary.");
        f.coding_system = match;
      }
      fields.push(f);
    });
    if (!fields.length) throw new DictionaryError(file + ": the sheet has a header but no variables.");
    return {fields: fields};
  }
  function parseCsv(text) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    var first = text.split("\n", 1)[0], delim = ",", best = -1;
    [",", ";", "\t"].forEach(function (d) { var n = first.split(d).length - 1; if (n > best) { best = n; delim = d; } });
    var rows = [], row = [], cell = "", q = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (q) {
        if (c === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else q = false; } else cell += c;
      } else if (c === '"' && cell === "") q = true;
      else if (c === delim) { row.push(cell); cell = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(cell); rows.push(row); row = []; cell = "";
      } else cell += c;
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows;
  }

  window.CatalogueChecks = {validate: validate, findNationalIds: findNationalIds, isNationalId: isNationalId,
    parseCategories: parseCategories, toSchema: toSchema, parseCsv: parseCsv, DictionaryError: DictionaryError,
    pointer: pointer, CI_ONLY: CI_ONLY, skeleton: skeleton};
})();
