/* marking.js: the coursepack revision module's marking rules, free of the page: text and number
 * matching, the best of several graded answers, parts and Moodle's ordering grading types. No
 * dependencies; ES2017. Adds window.Coursepack.marking; load before quiz.js and site.js. */
(function (ns) {
  "use strict";

  var FULL = 0.999999;

  function normalise(s) { return String(s).trim().normalize("NFKC").replace(/\s+/g, " "); }
  function wildcard(pattern, caseSensitive) {
    var parts = normalise(pattern).split(/(\\\*|\*)/).map(function (p) {
      if (p === "*") return ".*";
      if (p === "\\*") return "\\*";
      return p.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
    });
    return new RegExp("^(?:" + parts.join("") + ")$", caseSensitive ? "u" : "iu");
  }
  function parseNumber(s) {
    var t = String(s).trim().replace(/[\s,]/g, "").replace(/%$/, "");
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? parseFloat(t) : null;
  }
  function best(list, match) {
    var found = null;
    list.forEach(function (a) { if (match(a) && (!found || a.g > found.g)) found = a; });
    return found;
  }

  /* ---- Moodle's numerical answers (qtype_numerical): the number and unit a learner gave, read
   * as Moodle reads them (spaces and thousands separators dropped, 1.5x10^3 as 1.5e3, the unit
   * after the number or, with unit_left, before it), checked as Moodle checks them, and the
   * first answer whose tolerance holds the value in the first unit, or the value as typed. */
  var NUMBER = "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[-+]?\\d+)?";
  var INVALID = {
    empty: "Please enter an answer.", number: "You must enter a valid number.",
    unit: "You must enter a valid number. Do not include a unit in your response.",
    pick: "Please select a unit.",
    comma: "Please enter your answer without using the thousand separator (,)."
  };
  function readNumber(s, q, picked) {
    var raw = String(s), units = q.units || [];
    if (raw.trim() === "") return { error: INVALID.empty };
    var t = raw.replace(/ /g, "").replace(/(?:e|E|(?:x|\*|×)10(?:\^|\*\*))([+-]?\d+)/g, "e$1");
    t = t.replace(/,/g, ""); /* a thousands separator, or (in English) a decimal comma */
    var m = new RegExp(q.ul ? "(" + NUMBER + ")$" : "^(" + NUMBER + ")").exec(t);
    if (!m) return { error: INVALID.number };
    var unit = q.ul ? t.slice(0, t.length - m[1].length) : t.slice(m[1].length);
    if (unit !== "" && !q.typed) return { error: INVALID.unit };
    if (q.sep && (picked === null || picked === undefined)) return { error: INVALID.pick };
    if (raw.indexOf(",") >= 0) return { error: INVALID.comma };
    if (q.sep) unit = units[picked][0];
    var known = units.filter(function (u) { return u[0] === unit; })[0];
    return { x: parseFloat(m[1]), m: known ? 1 / known[1] : null };
  }
  function within(a, x) {  /* a.v null: Moodle's '*', any number */
    return a.v === null || Math.abs(x - a.v) <= a.tol + 1e-9 * Math.max(1, Math.abs(a.v));
  }
  function markNumber(s, q, picked) {
    var r = readNumber(s, q, picked);
    if (r.error) return { f: 0, error: r.error, answer: null, value: null };
    var scaled = r.m === null ? r.x : r.x * r.m, answer = null;
    q.ans.some(function (a) { if (within(a, scaled) || within(a, r.x)) answer = a; return answer !== null; });
    if (!answer) return { f: 0, answer: null, value: scaled };
    var f = Math.max(0, answer.g / 100), unitRight = r.m !== null && within(answer, r.m * r.x);
    if (!unitRight && q.ug === 1) f -= q.up * f;
    else if (!unitRight && q.ug === 2) f -= q.up;
    return { f: Math.max(f, 0), answer: answer, value: scaled };
  }

  /* Matching and gap-select: one choice per part, each part an equal share. */
  function markParts(v, q) {
    var marks = {}, right = 0;
    v.forEach(function (p, k) {
      if (p !== null) marks["p" + k] = p === q.c[k] ? 1 : 0;
      if (p === q.c[k]) right++;
    });
    return { f: right / q.c.length, marks: marks, fb: "", right: right };
  }

  /* ---- Moodle's ordering grading types; items are numbered by their correct position. Each
   * counts what the order gets right out of a total, as [count, total]. */
  function positions(order) {
    var pos = {};
    order.forEach(function (item, k) { pos[item] = k; });
    return pos;
  }

  function absolutePosition(order) {
    var count = 0;
    order.forEach(function (item, k) { if (item === k) count++; });
    return [count, order.length];
  }

  function relativeNext(order, last) {
    var n = order.length, count = 0, total = 0, i;
    var next = function (list, item, includeLast) {
      var k = list.indexOf(item);
      return k < list.length - 1 ? list[k + 1] : includeLast ? -1 : undefined;
    };
    var correct = order.slice().sort(function (a, b) { return a - b; });
    for (i = 0; i < (last ? n : n - 1); i++) {
      if (next(order, i, last) === next(correct, i, last)) count++;
      total++;
    }
    return [count, total];
  }

  function onePreviousAndNext(order) {
    var n = order.length, count = 0, total = 0, pos = positions(order), i;
    for (i = 0; i < n; i++) {
      var p = pos[i];
      if ((p > 0 ? order[p - 1] : -1) === (i > 0 ? i - 1 : -1)) count++;
      if ((p < n - 1 ? order[p + 1] : -1) === (i < n - 1 ? i + 1 : -1)) count++;
      total += 2;
    }
    return [count, total];
  }

  function allPreviousAndNext(order) {
    var n = order.length, count = 0, total = 0, pos = positions(order), i;
    for (i = 0; i < n; i++) {
      for (var j = 0; j < n; j++) {
        if (j === i) continue;
        if ((pos[j] < pos[i]) === (j < i)) count++;
        total++;
      }
    }
    return [count, total];
  }

  function longestSubset(order, contiguous) {
    var n = order.length, length = [], longest = 0;
    for (var a = 0; a < n; a++) {
      length[a] = 1;
      for (var b = 0; b < a; b++) {
        var fits = contiguous ? order[a] === order[b] + 1 : order[a] > order[b];
        if (fits) length[a] = Math.max(length[a], length[b] + 1);
      }
      longest = Math.max(longest, length[a]);
    }
    return [longest > 1 ? longest : 0, n];
  }

  /* Each item scores n - 1 less its distance from its correct place (never below 0). */
  function relativeToCorrect(order) {
    var n = order.length, count = 0, pos = positions(order), i;
    for (i = 0; i < n; i++) count += Math.max(0, n - 1 - Math.abs(i - pos[i]));
    return [count, n * (n - 1)];
  }

  var GRADINGS = {
    relative_next_exclude_last: function (order) { return relativeNext(order, false); },
    relative_next_include_last: function (order) { return relativeNext(order, true); },
    relative_one_previous_and_next: onePreviousAndNext,
    relative_all_previous_and_next: allPreviousAndNext,
    longest_ordered_subset: function (order) { return longestSubset(order, false); },
    longest_contiguous_subset: function (order) { return longestSubset(order, true); },
    relative_to_correct: relativeToCorrect
  };

  function orderingFraction(order, grading) {
    if (grading === "all_or_nothing") {
      return order.every(function (item, k) { return item === k; }) ? 1 : 0;
    }
    var known = Object.prototype.hasOwnProperty.call(GRADINGS, grading);
    var got = (known ? GRADINGS[grading] : absolutePosition)(order); /* absolute_position */
    return got[1] ? got[0] / got[1] : 0;
  }

  ns.marking = {
    FULL: FULL, normalise: normalise, wildcard: wildcard, parseNumber: parseNumber, best: best,
    markNumber: markNumber,
    markParts: markParts, orderingFraction: orderingFraction
  };
})(window.Coursepack = window.Coursepack || {});
