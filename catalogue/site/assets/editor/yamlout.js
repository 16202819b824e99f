/* Writing the entry's YAML back: the original text with only the changed values replaced.

   The file is parsed once with the `yaml` package (vendored, window.YAML), which gives every node
   its place in the text. Comparing the original values with the edited ones, each changed value
   is spliced into the original text at its node's place; everything else (comments, key order,
   quoting, blank lines) stays byte for byte. New keys go after the last key of their mapping;
   removed keys lose their lines. Strings are quoted the way YAML 1.1 readers (PyYAML, which
   `catalogue validate` uses) need: `no`, `on` and `NO` stay strings.
   Exposes window.CatalogueYaml = {parse, write, diff}. */
(function () {
  "use strict";
  var Y = window.YAML;

  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function equal(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function parse(text) {
    var doc = Y.parseDocument(text, {uniqueKeys: false});
    if (doc.errors.length) throw new Error(doc.errors[0].message);
    return {doc: doc, text: text, value: doc.toJS({maxAliasCount: 0}) || {}};
  }

  function scalar(v, inFlow) {
    if (v === null || v === undefined) return "null";
    if (typeof v !== "string") return String(v);
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;  // dates as the files write them
    var s = Y.stringify(v, {version: "1.1", lineWidth: 0, minContentWidth: 0}).replace(/\n$/, "");
    if (s.indexOf("\n") >= 0 || (inFlow && /[,\[\]{}]|: | #/.test(s) && s[0] !== '"' && s[0] !== "'")) return JSON.stringify(v);
    return s;
  }

  function flow(v) {
    if (Array.isArray(v)) return "[" + v.map(flow).join(", ") + "]";
    if (isObj(v)) return "{" + Object.keys(v).map(function (k) { return scalar(k, true) + ": " + flow(v[k]); }).join(", ") + "}";
    return scalar(v, true);
  }

  function block(v, indent) {  // a collection in block style, its first line without indent
    var text = Y.stringify(v, {version: "1.1", lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true});
    var pad = new Array(indent + 1).join(" ");
    return text.replace(/\n$/, "").split("\n").map(function (l, i) { return i ? (l ? pad + l : l) : l; }).join("\n") + "\n";
  }

  function column(text, at) { return at - (text.lastIndexOf("\n", at - 1) + 1); }
  function lineIndent(text, at) {
    var start = text.lastIndexOf("\n", at - 1) + 1, m = /^ */.exec(text.slice(start));
    return m[0].length;
  }
  function lineEnd(text, at) { var n = text.indexOf("\n", at); return n < 0 ? text.length : n + 1; }

  function replace(text, node, v, inFlow, edits) {
    var start = node.range[0], end = node.range[1], out;
    var col = column(text, start);
    if (typeof v === "string" && v.indexOf("\n") >= 0 && !inFlow) {
      var pad;
      if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
        var firstLine = text.slice(lineEnd(text, start)), m = /^ +/.exec(firstLine);
        pad = m ? m[0] : "  ";
      } else pad = new Array(lineIndent(text, start) + 3).join(" ");
      var body = v.replace(/\n$/, "");
      out = "|" + (v.slice(-1) === "\n" ? "" : "-") + "\n" + body.split("\n").map(function (l) { return l ? pad + l : ""; }).join("\n") + "\n";
      if (!(node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED")) out = out.replace(/\n$/, "");
    } else if (Y.isCollection(node) && !node.flow && !inFlow && (Array.isArray(v) || isObj(v)) && (Array.isArray(v) ? v.length : Object.keys(v).length)) {
      out = block(v, col);
    } else if (Array.isArray(v) || isObj(v)) {
      out = flow(v);
      if (Y.isCollection(node) && !node.flow && !inFlow) out += "\n";  // a block node ends with its line
    } else {
      out = scalar(v, inFlow);
      if ((node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED" || (Y.isCollection(node) && !node.flow)) && !inFlow) out += "\n";
    }
    edits.push([start, end, out]);
  }

  function diffNode(text, node, a, b, inFlow, edits) {
    if (equal(a, b)) return;
    if (!node || !node.range) return;  // nothing to place it at: the caller rewrites the parent
    var flowHere = inFlow || !!node.flow;
    if (Y.isMap(node) && isObj(a) && isObj(b)) {
      if (node.flow) {  // small flow mappings ({min_weeks: 4, max_weeks: 12}): in place, key by key
        if (!Object.keys(b).every(function (k) { return k in a; }) || !Object.keys(a).every(function (k) { return k in b; })) { replace(text, node, b, inFlow, edits); return; }
      }
      var lastEnd = null, keyCol = null;
      node.items.forEach(function (pair) {
        var key = pair.key && pair.key.value;
        if (key === undefined || key === null) return;
        keyCol = keyCol === null ? column(text, pair.key.range[0]) : keyCol;
        var end = pair.value && pair.value.range ? pair.value.range[2] : pair.key.range[2];
        lastEnd = Math.max(lastEnd || 0, end);
        if (!(key in b)) {
          if (node.flow) { replace(text, node, b, inFlow, edits); return; }
          var from = text.lastIndexOf("\n", pair.key.range[0] - 1) + 1;
          edits.push([from, lineEnd(text, Math.max(end - 1, pair.key.range[0])), ""]);
        } else if (!pair.value) {
          edits.push([pair.key.range[1], lineEnd(text, pair.key.range[1]) - 1, ": " + flow(b[key])]);
        } else diffNode(text, pair.value, a[key], b[key], flowHere, edits);
      });
      var added = Object.keys(b).filter(function (k) { return !(k in a); });
      if (added.length && lastEnd !== null && !node.flow) {
        var at = text[lastEnd - 1] === "\n" ? lastEnd : lineEnd(text, lastEnd);
        var pad = new Array(keyCol + 1).join(" "), lines = "";
        added.forEach(function (k) {
          var v = b[k], one = {};
          one[k] = v;
          lines += pad + block(one, keyCol).replace(/\n$/, "") + "\n";
        });
        if (at > text.length) at = text.length;
        edits.push([at, at, (at === text.length && text.slice(-1) !== "\n" ? "\n" : "") + lines]);
      } else if (added.length) replace(text, node, b, inFlow, edits);
      return;
    }
    if (Y.isSeq(node) && Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      node.items.forEach(function (item, i) { diffNode(text, item, a[i], b[i], flowHere, edits); });
      return;
    }
    replace(text, node, b, inFlow, edits);
  }

  /* The text of `parsed` (from parse) with `value` written into it. */
  function write(parsed, value) {
    var edits = [];
    diffNode(parsed.text, parsed.doc.contents, parsed.value, value, false, edits);
    edits.sort(function (x, y) { return y[0] - x[0] || y[1] - x[1]; });
    var text = parsed.text;
    edits.forEach(function (e) { text = text.slice(0, e[0]) + e[2] + text.slice(e[1]); });
    return text;
  }

  /* A line diff (longest common subsequence), as unified-diff-like lines: " ", "-", "+". */
  function diff(before, after) {
    var a = before.split("\n"), b = after.split("\n"), lo = 0;
    while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
    var ea = a.length, eb = b.length;
    while (ea > lo && eb > lo && a[ea - 1] === b[eb - 1]) { ea--; eb--; }
    var A = a.slice(lo, ea), B = b.slice(lo, eb), n = A.length, m = B.length, out = [];
    if (n * m > 4e6) {  // too big to align: all out, all in
      A.forEach(function (l) { out.push(["-", l]); });
      B.forEach(function (l) { out.push(["+", l]); });
    } else {
      var L = [];
      for (var i = 0; i <= n; i++) L.push(new Uint32Array(m + 1));
      for (i = n - 1; i >= 0; i--) for (var j = m - 1; j >= 0; j--) L[i][j] = A[i] === B[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
      i = 0; j = 0;
      while (i < n || j < m) {
        if (i < n && j < m && A[i] === B[j]) { out.push([" ", A[i]]); i++; j++; }
        else if (j < m && (i === n || L[i][j + 1] >= L[i + 1][j])) { out.push(["+", B[j]]); j++; }
        else { out.push(["-", A[i]]); i++; }
      }
    }
    var ctx = [];
    for (var k = Math.max(0, lo - 3); k < lo; k++) ctx.push([" ", a[k], k + 1]);
    return {start: lo + 1, lines: ctx.concat(out), changed: out.some(function (l) { return l[0] !== " "; })};
  }

  window.CatalogueYaml = {parse: parse, write: write, diff: diff, scalar: scalar};
})();
