/* marking.js: the coursepack revision module's marking rules, free of the page: text and number
 * matching as Moodle's question types grade them (grade_response), Moodle's validation messages,
 * parts and Moodle's ordering grading types. No dependencies; ES2017. Adds
 * window.Coursepack.marking; load before quiz.js and site.js. */
(function (ns) {
  "use strict";

  var FULL = 0.999999;

  /* What PHP's trim() strips (Moodle trims a typed answer so, PARAM_RAW_TRIMMED): not a no-break
   * space nor any other Unicode space. */
  var PHP_TRIM = /^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g;
  function phpTrim(s) { return String(s).replace(PHP_TRIM, ""); }

  /* qtype_shortanswer_question::compare_string_with_wildcard: pattern and answer in NFC, nothing
   * folded further (inner spaces kept, no compatibility forms), the answer PHP-trimmed; a run of
   * '*' not after a '\' matches anything but a line feed (PCRE's '.'), '\*' is a '*', the rest is
   * literal. The runs are found by hand, as preg_split('/(?<!\\\\)\*+/') finds them: a regular
   * expression's look-behind would not parse in older browsers. */
  function wildcard(pattern, caseSensitive) {
    var p = String(pattern).normalize("NFC"), bits = [], bit = "", i = 0;
    while (i < p.length) {
      if (p.charAt(i) === "*" && p.charAt(i - 1) !== "\\") {
        bits.push(bit);
        bit = "";
        while (p.charAt(i) === "*") i++;
      } else {
        bit += p.charAt(i++);
      }
    }
    bits.push(bit);
    bits = bits.map(function (b) { return b.replace(/\\\*/g, "*").replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"); });
    return new RegExp("^(?:" + bits.join("[^\\n]*") + ")$", caseSensitive ? "u" : "iu");
  }
  function textMatches(pattern, typed, caseSensitive) {
    return wildcard(pattern, caseSensitive).test(phpTrim(String(typed).normalize("NFC")));
  }
  /* Moodle's question_first_matching_answer_grading_strategy: the first answer, in order. */
  function first(list, match) {
    for (var i = 0; i < list.length; i++) if (match(list[i])) return list[i];
    return null;
  }

  /* A short answer as qtype_shortanswer grades it: the first matching answer's grade, a negative
   * one kept; nothing typed is not graded ("Please enter an answer."). */
  function markShort(v, q) {
    var typed = phpTrim(v);
    if (typed === "") return { f: 0, answer: null, error: INVALID.empty };
    var a = first(q.ans, function (x) { return textMatches(x.p, typed, q.cs); });
    return { f: a ? a.g / 100 : 0, answer: a, error: "" };
  }

  /* ---- Moodle's numerical answers (qtype_numerical), in English (decimal point '.', thousands
   * separator ','). grade_response grades what get_validation_error complains of (a unit where
   * none is typed, a thousands separator, no unit picked); "Check" shows the complaint. */
  var NUMBER = "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[-+]?\\d+)?";
  var INVALID = {
    empty: "Please enter an answer.", number: "You must enter a valid number.",
    unit: "You must enter a valid number. Do not include a unit in your response.",
    pick: "You must select a unit.",
    comma: "Please enter your answer without using the thousand separator (,).",
    /* ... and the other question types' (qtype_multichoice, _truefalse, _match, _gapselect) */
    choose: "Please select an answer.", some: "Please select at least one answer.",
    parts: "Please answer all parts of the question.", boxes: "Please put an answer in each box."
  };
  /* qtype_numerical_answer_processor::apply_units: spaces and commas dropped, 1.5x10^3 as 1.5e3,
   * the number at the start (with unit_left, the end), the rest its unit, or `separate` (the
   * unit picked, or "" for an empty list) when not null; m, the unit's multiplier, null for an
   * unknown unit. */
  function applyUnits(s, q, separate) {
    if (phpTrim(s) === "") return { x: null, unit: null, m: null };
    var t = String(s).replace(/ /g, "").replace(/(?:e|E|(?:x|\*|×)10(?:\^|\*\*))([+-]?\d+)/g, "e$1");
    t = t.replace(/,/g, "");
    var found = new RegExp(q.ul ? NUMBER + "$" : "^" + NUMBER).exec(t);
    if (!found) return { x: null, unit: null, m: null };
    var unit = q.ul ? t.slice(0, found.index) : t.slice(found[0].length);
    if (separate !== null && separate !== undefined) unit = separate;
    var known = (q.units || []).filter(function (u) { return u[0] === unit; })[0];
    return { x: parseFloat(found[0]), unit: unit, m: known ? 1 / known[1] : null };
  }
  /* qtype_numerical_question::get_validation_error ("" when valid); `picked`, the unit chosen. */
  function numberError(s, q, picked) {
    if (phpTrim(s) === "") return INVALID.empty;
    var r = applyUnits(s, q, null);
    if (r.x === null) return INVALID.number;
    if (!q.typed && r.unit !== "" && r.unit !== "0") return INVALID.unit; /* PHP's truthiness */
    if (q.sep && (picked === null || picked === undefined)) return INVALID.pick;
    if (String(s).indexOf(",") >= 0) return INVALID.comma;
    return "";
  }
  /* qtype_numerical_answer::within_tolerance (nominal): Moodle's slack is 1e-14 (PHP's
   * precision); a.v null is Moodle's '*', any number. */
  function within(a, x) {
    if (a.v === null) return true;
    var t = a.tol + 1e-14 * Math.max(a.tol, Math.abs(a.v), 1e-14);
    return a.v - t <= x && x <= a.v + t;
  }
  /* qtype_numerical_question::grade_response: the first answer holding the value in the first
   * unit, or the value as typed; a wrong or missing unit's penalty; never below 0. A list of
   * units posts "" when none is picked, radio buttons nothing (then the typed unit counts). */
  function markNumber(s, q, picked) {
    var error = numberError(s, q, picked), separate = null;
    if (q.sep) separate = picked !== null && picked !== undefined ? q.units[picked][0] : q.radio ? null : "";
    var r = applyUnits(s, q, separate);
    if (r.x === null) return { f: 0, error: error, answer: null, value: null };
    var scaled = r.m === null ? r.x : r.x * r.m;
    var answer = first(q.ans, function (a) { return within(a, scaled) || within(a, r.x); });
    if (!answer) return { f: 0, error: error, answer: null, value: scaled };
    var f = answer.g / 100, unitRight = r.m !== null && within(answer, r.m * r.x);
    if (!unitRight && q.ug === 1) f -= q.up * f;
    else if (!unitRight && q.ug === 2) f -= q.up;
    return { f: Math.max(f, 0), error: error, answer: answer, value: scaled };
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
    FULL: FULL, INVALID: INVALID, phpTrim: phpTrim, wildcard: wildcard, textMatches: textMatches,
    first: first, markShort: markShort, within: within, markNumber: markNumber,
    markParts: markParts, orderingFraction: orderingFraction
  };
})(window.Coursepack = window.Coursepack || {});
