/* quiz.js: the coursepack revision module's question types. Each reads and writes its answer in
 * the question's box, encodes it for suspend_data and decodes it back, marks it and describes it
 * as a SCORM interaction. No dependencies; ES2017. Adds window.Coursepack.quiz; load after
 * marking.js and before site.js. */
(function (ns) {
  "use strict";

  var M = ns.marking;
  var IDS = "abcdefghijklmnopqrstuvwxyz0123456789";
  var BAD; /* undefined: an answer that cannot be decoded */

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  /* ---- Typed answers in suspend_data: '%', '~' and '|' escaped, so at most 3 characters each. */
  function esc(s) { return s.replace(/[%~|]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); }); }
  function unesc(s) { return s.replace(/%(25|7E|7C)/g, function (m, h) { return String.fromCharCode(parseInt(h, 16)); }); }
  function id(i) { return IDS.charAt(i); }
  function index(c, limit) { var i = IDS.indexOf(c); return i >= 0 && i < limit ? i : null; }

  /* ---- Question types: read and write the form in the question's box b, encode the answer,
   * mark it. */
  function inputs(b) { return $$("input, select", b); }

  var single = {
    read: function (b) { var c = $("input:checked", b); return c ? c.value : null; },
    write: function (b, v) { inputs(b).forEach(function (el) { el.checked = el.value === v; }); }
  };
  var parts = {
    read: function (b) {
      var v = [];
      $$("select", b).forEach(function (s) { v[Number(s.dataset.part)] = s.value === "" ? null : Number(s.value); });
      return v;
    },
    write: function (b, v) {
      $$("select", b).forEach(function (s) { var p = v[Number(s.dataset.part)]; s.value = p === null ? "" : String(p); });
    },
    encode: function (v) { return v.map(function (p) { return p === null ? "-" : id(p); }).join(""); },
    decode: function (s, q) {
      if (s.length !== q.c.length) return BAD;
      var v = s.split("").map(function (c) { return c === "-" ? null : index(c, IDS.length); });
      return v.some(function (p, k) { return p === null && s.charAt(k) !== "-"; }) ? BAD : v;
    },
    answered: function (v) { return v.some(function (p) { return p !== null; }); },
    invalid: function (v) { return v.indexOf(null) >= 0 ? M.INVALID.boxes : ""; },
    mark: function (v, q) { return M.markParts(v, q); },
    interaction: function (v, q) { return pairsOf(v, q); }
  };
  var typed = {
    read: function (b) { var el = $("input", b); return el.value.slice(0, el.maxLength > 0 ? el.maxLength : undefined); },
    write: function (b, v) { $("input", b).value = v; },
    encode: esc,
    decode: unesc,
    answered: function (v) { return M.phpTrim(v) !== ""; }
  };

  function pairsOf(v, q) {
    var response = [], correct = [];
    v.forEach(function (p, k) { if (p !== null) response.push([id(k), id(p)]); });
    q.c.forEach(function (c, k) { correct.push([id(k), id(c)]); });
    return { type: "matching", response: response, correct: correct };
  }

  var TYPES = {
    mc: {
      read: function (b, q) {
        if (q.single) { var v = single.read(b); return v === null ? [] : [Number(v)]; }
        return $$("input:checked", b).map(function (el) { return Number(el.value); });
      },
      write: function (b, v) { inputs(b).forEach(function (el) { el.checked = v.indexOf(Number(el.value)) >= 0; }); },
      encode: function (v) { return v.slice().sort(function (a, b) { return a - b; }).map(id).join(""); },
      decode: function (s, q) {
        var v = s.split("").map(function (c) { return index(c, q.g.length); });
        return v.indexOf(null) >= 0 || (q.single && v.length > 1) ? BAD : v;
      },
      answered: function (v) { return v.length > 0; },
      invalid: function (v, q) { return v.length ? "" : q.single ? M.INVALID.choose : M.INVALID.some; },
      /* qtype_multichoice: one choice's grade, a negative one kept; several choices' sum, kept
       * between 0 and 1. */
      mark: function (v, q) {
        var sum = v.reduce(function (t, i) { return t + q.g[i]; }, 0) / 100;
        var marks = {};
        v.forEach(function (i) { marks[i] = q.g[i] >= 100 || (q.g[i] > 0 && !q.single) ? 1 : q.g[i] > 0 ? 0.5 : 0; });
        return {
          f: q.single ? sum : Math.max(0, Math.min(1, sum)), marks: marks,
          fb: v.map(function (i) { return q.fb[i]; }).join(""),
          right: v.filter(function (i) { return q.g[i] > 0; }).length
        };
      },
      interaction: function (v, q) {
        return { type: "choice", response: v.slice().sort(function (a, b) { return a - b; }).map(id), correct: q.c };
      }
    },
    tf: {
      read: function (b) { var v = single.read(b); return v === null ? null : v === "t"; },
      write: function (b, v) { single.write(b, v === null ? "" : v ? "t" : "f"); },
      encode: function (v) { return v === null ? "" : v ? "t" : "f"; },
      decode: function (s) { return s === "" ? null : s === "t" ? true : s === "f" ? false : BAD; },
      answered: function (v) { return v !== null; },
      invalid: function (v) { return v === null ? M.INVALID.choose : ""; },
      mark: function (v, q) {
        var ok = v === q.c, marks = {};
        if (v !== null) marks[v ? "t" : "f"] = ok ? 1 : 0;
        return { f: ok ? 1 : 0, marks: marks, fb: v === null ? "" : v ? q.fbt : q.fbf };
      },
      interaction: function (v, q) { return { type: "true-false", response: v, correct: q.c }; }
    },
    sa: Object.assign({}, typed, {
      invalid: function (v, q) { return M.markShort(v, q).error; },
      mark: function (v, q) {
        var r = M.markShort(v, q);
        return { f: r.f, marks: typed.answered(v) ? { "in": r.f } : {}, fb: r.answer ? r.answer.fb : "" };
      },
      interaction: function (v, q) {
        return { type: "fill-in", response: v.trim() || null, correct: q.cr, caseMatters: q.cs };
      }
    }),
    num: Object.assign({}, typed, {
      invalid: function (v, q) { return M.markNumber(v, q, null).error; },
      mark: function (v, q) { return numberMark(M.markNumber(v, q, null), typed.answered(v)); },
      interaction: function (v, q) { return { type: "numeric", response: M.markNumber(v, q, null).value, correct: q.cr }; }
    }),
    /* A number with its unit picked from a list: "<unit character or ->" then the typed text. */
    numu: {
      read: function (b) {
        var s = $("select", b);
        return { t: typed.read(b), u: s.value === "" ? null : Number(s.value) };
      },
      write: function (b, v) { typed.write(b, v.t); $("select", b).value = v.u === null ? "" : String(v.u); },
      encode: function (v) { return (v.u === null ? "-" : id(v.u)) + esc(v.t); },
      decode: function (s, q) {
        if (s === "") return { t: "", u: null };
        var u = s.charAt(0) === "-" ? null : index(s.charAt(0), q.units.length);
        return u === null && s.charAt(0) !== "-" ? BAD : { t: unesc(s.slice(1)), u: u };
      },
      answered: function (v) { return typed.answered(v.t); }, /* Moodle grades the number */
      started: function (v) { return typed.answered(v.t) || v.u !== null; },
      invalid: function (v, q) { return M.markNumber(v.t, q, v.u).error; },
      mark: function (v, q) { return numberMark(M.markNumber(v.t, q, v.u), typed.answered(v.t)); },
      interaction: function (v, q) { return { type: "numeric", response: M.markNumber(v.t, q, v.u).value, correct: q.cr }; }
    },
    match: Object.assign({}, parts, {
      invalid: function (v) { return v.indexOf(null) >= 0 ? M.INVALID.parts : ""; }
    }),
    gap: Object.assign({}, parts),
    ord: {
      read: function (b) {
        var list = $(".order-list", b);
        return { order: $$("li", list).map(function (li) { return Number(li.dataset.item); }), touched: list.dataset.touched === "1" };
      },
      /* site.js then refreshes the list's up and down buttons. */
      write: function (b, v, q) {
        var list = $(".order-list", b);
        var order = v.touched ? v.order : q.init;
        order.forEach(function (i) { list.appendChild($('li[data-item="' + i + '"]', list)); });
        list.dataset.touched = v.touched ? "1" : "";
      },
      encode: function (v) { return v.touched ? v.order.map(id).join("") : ""; },
      decode: function (s, q) {
        if (s === "") return { order: q.init.slice(), touched: false };
        var order = s.split("").map(function (c) { return index(c, q.n); });
        var unique = order.filter(function (i, k) { return i !== null && order.indexOf(i) === k; });
        return order.length === q.n && unique.length === q.n ? { order: order, touched: true } : BAD;
      },
      answered: function () { return true; }, /* the order shown is an answer, as in Moodle */
      started: function (v) { return v.touched; },
      mark: function (v, q) {
        var f = M.orderingFraction(v.order, q.grading);
        var marks = {};
        v.order.forEach(function (item, pos) { marks[item] = item === pos ? 1 : 0; });
        return { f: f, marks: marks, fb: "", right: v.order.filter(function (item, pos) { return item === pos; }).length };
      },
      interaction: function (v, q) {
        var correct = [];
        for (var i = 0; i < q.n; i++) correct.push(id(i));
        return { type: "sequencing", response: v.order.map(id), correct: correct };
      }
    }
  };

  /* A numerical mark as the page shows it (Moodle's reason for refusing the answer, if any, is
   * the type's invalid()). */
  function numberMark(r, answered) {
    return { f: r.f, marks: answered ? { "in": r.f } : {}, fb: r.answer ? r.answer.fb : "" };
  }

  /* The answer of a question nobody has touched. */
  function blank(q) {
    if (q.t === "mc") return [];
    if (q.t === "tf") return null;
    if (q.t === "match" || q.t === "gap" || q.t === "drag") return q.c.map(function () { return null; });
    if (q.t === "ord") return { order: q.init.slice(), touched: false };
    if (q.t === "numu") return { t: "", u: null };
    return "";
  }

  ns.quiz = { TYPES: TYPES, BAD: BAD, IDS: IDS, id: id, index: index, blank: blank };
})(window.Coursepack = window.Coursepack || {});
