/* cloze.js: the preview's quiz questions that the revision module does not mark. A cloze is
 * marked as Moodle's embedded-answers question marks it (grade_response): each gap as its own
 * short-answer, numerical or multiple-choice question (the first answer that matches; a typed or
 * chosen answer's negative grade counts, a number's never goes below 0), the question's mark
 * shared by the gaps' weights. An essay is graded by a teacher: the preview checks only what
 * Moodle checks on submission (a required answer, the word limits). After "Submit quiz", the
 * score counts the cloze questions too. Loaded after the module's scripts. */
(function () {
  "use strict";

  var FULL = 0.999999;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function fmt(n) { return String(Math.round(n * 100) / 100); }
  function M() { return window.Coursepack.marking; }

  function first(list, match) {
    for (var i = 0; i < list.length; i++) if (match(list[i])) return list[i];
    return null;
  }

  function gapAnswer(box, k, gap) {
    var el = $('[data-gap="' + k + '"]', box);
    if (gap.kind !== "multichoice") return el.value;
    if (el.tagName === "SELECT") return el.value === "" ? null : Number(el.value);
    var picked = $("input:checked", el);
    return picked ? Number(picked.value) : null;
  }

  /* What PHP's trim() strips (Moodle trims a typed answer so): not a no-break space. */
  var PHP_TRIM = /^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g;

  /* qtype_shortanswer's compare_string_with_wildcard: both in NFC (nothing folded further, inner
   * spaces kept), a run of '*' matches anything, '\*' is a '*', the rest is literal. */
  function typedMatch(pattern, typed, cs) {
    var bits = String(pattern).normalize("NFC").split(/(?<!\\)\*+/).map(function (bit) {
      return bit.replace(/\\\*/g, "*").replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
    });
    return new RegExp("^(?:" + bits.join(".*") + ")$", cs ? "u" : "iu").test(typed.normalize("NFC"));
  }

  /* qtype_numerical_answer's within_tolerance: Moodle's slack is 1e-14 (PHP's precision). */
  function within(a, x) {
    if (a.v === null) return true;
    var t = a.tol + 1e-14 * Math.max(a.tol, Math.abs(a.v), 1e-14);
    return a.v - t <= x && x <= a.v + t;
  }

  function markGap(v, gap) {
    if (gap.kind === "multichoice") {
      var a = v === null ? null : gap.ans[v];
      return { f: a ? a.g / 100 : 0, fb: a ? a.fb : "", answered: v !== null };
    }
    var typed = String(v).replace(PHP_TRIM, "");
    if (typed === "") return { f: 0, fb: "", answered: false };
    if (gap.kind === "numerical") {
      /* Graded as grade_response grades it: commas dropped (thousands separators), text after
       * the number a unit the gap has none of; Moodle's "Check" message for them is shown. */
      var read = M().markNumber(typed.replace(/,/g, ""), { ans: [], units: [], typed: true }, null);
      var said = M().markNumber(typed, { ans: [], units: [] }, null).error;
      var near = read.value === null ? null : first(gap.ans, function (n) { return within(n, read.value); });
      return { f: near ? Math.max(0, near.g / 100) : 0, answered: true,
        fb: (said ? "<p>" + said + "</p>" : "") + (near ? near.fb : "") };
    }
    var hit = first(gap.ans, function (t) { return typedMatch(t.p, typed, gap.cs); });
    return { f: hit ? hit.g / 100 : 0, fb: hit ? hit.fb : "", answered: true };
  }

  function markCloze(box) {
    var key = JSON.parse(box.dataset.key), got = 0, weight = 0, rows = [];
    key.gaps.forEach(function (gap, k) {
      var r = markGap(gapAnswer(box, k, gap), gap);
      got += r.f * gap.mark;
      weight += gap.mark;
      var cls = r.f >= FULL ? "right" : r.f > 0 ? "part" : "wrong";
      var mark = $('[data-gapmark="' + k + '"]', box);
      mark.className = "mark mark-" + cls;
      mark.textContent = cls === "right" ? "✓" : cls === "part" ? "◐" : "✗";
      rows.push("<li><strong>Gap " + (k + 1) + ":</strong> " + (r.answered ? "" : "not answered. ") +
        (r.fb || "") + (r.f < FULL ? " <span class=\"fb-label\">The correct answer is: " + gap.right + "</span>" : "") + "</li>");
    });
    var f = weight ? got / weight : 0;
    var cls = f >= FULL ? "right" : f > 0 ? "part" : "wrong";
    var label = { right: "Correct", part: "Partly correct", wrong: "Not quite" }[cls];
    $(".q-feedback", box).innerHTML = '<p class="fb-status fb-' + cls + '"><strong>' + label +
      '</strong> <span class="fb-mark">Mark ' + fmt(f * key.mark) + " out of " + fmt(key.mark) +
      "</span></p><ol class=\"pv-gapfb\">" + rows.join("") + "</ol>" +
      (key.gen ? '<div class="fb-general">' + key.gen + "</div>" : "");
    return { got: f * key.mark, max: key.mark };
  }

  function words(text) { return text.trim() === "" ? 0 : text.trim().split(/\s+/).length; }

  /* What qtype_essay says when the answer is submitted (check_input_word_count). */
  function checkEssay(box) {
    var area = $(".pv-essay-text", box), holder = $("[data-limits]", box);
    var limits = JSON.parse(holder.dataset.limits), n = area ? words(area.value) : 0, problem = "";
    if (area && holder.dataset.required === "1" && (limits.min || limits.max)) {
      if (limits.max && n > limits.max) problem = "The word limit for this question is " + limits.max + " words and you are attempting to submit " + n + " words. Please shorten your response and try again.";
      else if (n < limits.min) problem = "This question requires a response of at least " + limits.min + " words and you are attempting to submit " + n + " words. Please expand your response and try again.";
    }
    $(".q-feedback", box).innerHTML = problem ? '<p class="fb-status fb-wrong">' + problem + "</p>" :
      '<p class="fb-status fb-none"><strong>' + (n ? "Answer saved" : "Not answered") + "</strong> " + n + " words. A teacher grades this answer in Moodle.</p>";
  }

  /* The quiz's score with the cloze questions in it, read from what the module shows. */
  function rescore() {
    var got = 0, max = 0;
    $$(".question[data-qi] .fb-mark").forEach(function (el) {
      var m = /Mark (-?[\d.]+) out of ([\d.]+)/.exec(el.textContent); /* a choice's mark may be negative */
      if (m) { got += Number(m[1]); max += Number(m[2]); }
    });
    $$(".pv-cloze").forEach(function (box) { var r = markCloze(box); got += r.got; max += r.max; });
    var out = $("#quiz-result"), score = max ? Math.max(0, 100 * got / max) : 0;
    var mastery = Number(document.documentElement.dataset.mastery), passed = score >= mastery;
    if (!out) return;
    out.className = "quiz-result " + (passed ? "fb-right" : "fb-wrong");
    out.innerHTML = '<p class="result-score">Your score: <strong>' + fmt(score) + "%</strong></p><p>" +
      (passed ? "Well done: you passed. The pass mark is " : "Not yet passed: the pass mark is ") + fmt(mastery) + "%.</p>";
  }

  function start() {
    $$(".pv-cloze-check").forEach(function (b) { b.addEventListener("click", function () { markCloze(b.closest(".pv-cloze")); }); });
    $$(".pv-essay-check").forEach(function (b) { b.addEventListener("click", function () { checkEssay(b.closest(".pv-essay")); }); });
    var submit = $("#quiz-submit");
    if (submit && $(".pv-cloze")) submit.addEventListener("click", function () { setTimeout(rescore, 0); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
