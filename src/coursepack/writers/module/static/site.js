/* site.js: pages, self-check quiz and saved state of the coursepack revision module. No
 * dependencies; ES2017. Without JavaScript every page shows, one after another. Uses
 * window.Coursepack.marking (marking.js) and .quiz (quiz.js), so load after both. */
(function (ns) {
  "use strict";

  document.documentElement.classList.add("js");

  var FULL = ns.marking.FULL;
  var Q = ns.quiz, TYPES = Q.TYPES, BAD = Q.BAD, id = Q.id, index = Q.index, blank = Q.blank;
  var data, pages, questions, sections, tracker = null, mastery = 80;
  var state = { cur: 0, seen: [], score: null, locked: false };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function text(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }
  function fmt(n) { return String(Math.round(n * 100) / 100); }

  /* ---- A question's box, and its answer in the form. */
  function box(qi) { return sections.quiz.querySelector('.question[data-qi="' + qi + '"]'); }
  function answerOf(qi) { var q = questions[qi]; return TYPES[q.t].read(box(qi), q); }
  function write(qi, v) {
    var q = questions[qi], b = box(qi);
    TYPES[q.t].write(b, v, q);
    orderButtons($(".order-list", b));
  }

  /* ---- Saved state (suspend_data): "1|fp|page|seen|score|submitted|answer~answer~...":
   * page one character, seen one 0/1 per page, score three base-36 digits of hundredths (or
   * empty), then per question: choice characters, t/f, escaped text, one character (or '-')
   * per item or gap, or the ordering's characters once moved. site.py state_budget() bounds it. */
  function encode() {
    var st = data.state;
    var score = state.score === null ? "" : state.score.toString(36).padStart(3, "0");
    return [st.version, st.fp, id(state.cur), state.seen.map(function (s) { return s ? "1" : "0"; }).join(""),
      score, state.locked ? "1" : "0",
      questions.map(function (q, qi) { return TYPES[q.t].encode(answerOf(qi)); }).join("~")].join("|");
  }

  function decode(text) {
    var st = data.state, f = String(text || "").split("|");
    if (f.length !== 7 || f[0] !== st.version || f[1] !== st.fp) return null;
    var cur = index(f[2], pages.length), seen = f[3];
    if (cur === null || !/^[01]*$/.test(seen) || seen.length !== pages.length) return null;
    var score = /^[0-9a-z]{3}$/.test(f[4]) ? parseInt(f[4], 36) : null;
    var answers = f[6] === "" && !questions.length ? [] : f[6].split("~");
    if (answers.length !== questions.length || (score !== null && score > 10000)) return null;
    var decoded = answers.map(function (s, qi) { var q = questions[qi]; return TYPES[q.t].decode(s, q); });
    if (decoded.some(function (v) { return v === BAD; })) return null;
    return {
      cur: cur, seen: seen.split("").map(function (c) { return c === "1"; }),
      score: score, locked: f[5] === "1" && score !== null, answers: decoded
    };
  }

  function report(commit) {
    if (!tracker) return;
    var seen = state.seen.filter(Boolean).length;
    tracker.save({
      location: pages[state.cur], suspend: encode(), seen: seen, total: pages.length,
      result: state.score === null ? null : { score: state.score / 100, passed: state.score / 100 >= mastery }
    });
    if (commit) tracker.commit();
  }

  /* ---- Pages. */
  function show(i, focus) {
    state.cur = i;
    state.seen[i] = true;
    pages.forEach(function (pid, k) {
      sections[pid].classList.toggle("is-current", k === i);
      var link = $('.toc a[data-page="' + pid + '"]');
      if (k === i) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
      $(".toc-seen", link).hidden = !state.seen[k];
    });
    var seen = state.seen.filter(Boolean).length;
    $("[data-seen-count]").textContent = String(seen);
    $(".progress progress").value = seen;
    $("[data-page-number]").textContent = String(i + 1);
    pager($(".pager-prev"), i - 1);
    pager($(".pager-next"), i + 1);
    if (focus) {
      window.scrollTo(0, 0);
      $("h2", sections[pages[i]]).focus();
    }
    report(true);
  }

  function pager(button, target) {
    var ok = target >= 0 && target < pages.length;
    button.disabled = !ok;
    button.classList.toggle("is-idle", !ok);
    var name = ok ? $('.toc a[data-page="' + pages[target] + '"] .toc-label').textContent : "";
    $(".pager-name", button).textContent = ok ? ": " + name : "";
  }

  function target(hash) {
    if (!hash || hash.length < 2) return null;
    var el = null;
    try { el = document.getElementById(decodeURIComponent(hash.slice(1))); } catch (e) { el = null; }
    var page = el && el.closest ? el.closest("section.page") : null;
    return page ? { el: el, page: pages.indexOf(page.id) } : null;
  }

  function go(hash, focus) {
    var t = target(hash);
    if (!t || t.page < 0) return false;
    show(t.page, focus && t.el === sections[pages[t.page]]);
    if (t.el !== sections[pages[t.page]] && focus) {
      if (!t.el.hasAttribute("tabindex")) t.el.setAttribute("tabindex", "-1");
      t.el.scrollIntoView();
      t.el.focus({ preventScroll: true });
    }
    return true;
  }

  function setUpNavigation() {
    document.addEventListener("click", function (e) {
      var a = e.target.closest ? e.target.closest('a[href^="#"]') : null;
      if (!a || !go(a.getAttribute("href"), true)) return;
      e.preventDefault();
      try { history.replaceState(null, "", a.getAttribute("href")); } catch (err) { /* file:// */ }
    });
    window.addEventListener("hashchange", function () { go(location.hash, true); });
    $$(".pager [data-go]").forEach(function (b) {
      b.addEventListener("click", function () {
        var i = state.cur + Number(b.dataset.go);
        if (i >= 0 && i < pages.length) show(i, true);
      });
    });
  }

  /* ---- Quiz. */
  function clearMarks(qi) {
    var b = box(qi);
    $(".q-feedback", b).innerHTML = "";
    $$("[data-mark]", b).forEach(function (m) { m.textContent = ""; m.className = "mark"; });
  }

  /* Mark one question and show its feedback. Before submitting, a question Moodle would not
   * grade (nothing answered) gets only Moodle's validation message, not the answer; one Moodle
   * grades but would not accept on "Check" (a part left blank, a thousands separator) gets the
   * message with its mark, the grade Moodle gives it when the attempt is submitted. */
  function feedback(qi, final) {
    var q = questions[qi], type = TYPES[q.t], v = answerOf(qi), r = type.mark(v, q), b = box(qi);
    var answered = type.answered(v), said = type.invalid ? type.invalid(v, q) : "";
    if (!answered && !final) {
      $(".q-feedback", b).innerHTML = '<p class="fb-status fb-none">' +
        text(said || "Answer the question first, then check it.") + "</p>";
      return r;
    }
    var cls = !answered ? "none" : r.f >= FULL ? "right" : r.f > 0 ? "part" : "wrong";
    var label = { none: "Not answered", right: "Correct", part: "Partly correct", wrong: "Not quite" }[cls];
    var icon = { none: "–", right: "✓", part: "◐", wrong: "✗" }[cls];
    var html = '<p class="fb-status fb-' + cls + '"><span class="fb-icon" aria-hidden="true">' + icon +
      "</span> <strong>" + label + "</strong> <span class=\"fb-mark\">Mark " + fmt(q.mark * r.f) +
      " out of " + fmt(q.mark) + "</span></p>";
    if (said && !final) html += '<p class="fb-invalid">' + text(said) + "</p>";
    if (r.fb) html += '<div class="fb-answer">' + r.fb + "</div>";
    if (q.cf && answered) {
      var combined = q.cf[cls === "right" ? 0 : cls === "part" ? 1 : 2];
      if (combined) html += '<div class="fb-combined">' + combined + "</div>";
      if (q.num && cls === "part" && r.right !== undefined) {
        html += '<p class="fb-count">You have ' + r.right + " part" + (r.right === 1 ? "" : "s") + " right.</p>";
      }
    }
    if (r.f < FULL && q.right) html += '<div class="fb-key"><p class="fb-label">The correct answer</p><div>' + q.right + "</div></div>";
    if (q.gen) html += '<div class="fb-general">' + q.gen + "</div>";
    $(".q-feedback", b).innerHTML = html;
    $$("[data-mark]", b).forEach(function (m) {
      var k = m.dataset.mark, got = r.marks[k];
      m.className = "mark" + (got === undefined ? "" : got >= FULL ? " mark-right" : got > 0 ? " mark-part" : " mark-wrong");
      m.textContent = got === undefined ? "" : got >= FULL ? "✓ Correct" : got > 0 ? "◐ Partly" : "✗ Incorrect";
    });
    return r;
  }

  function answeredCount() {
    var n = questions.filter(function (q, qi) {
      var t = TYPES[q.t], v = answerOf(qi);
      return t.started ? t.started(v) : t.answered(v);
    }).length;
    var out = $("[data-answered]");
    if (out) out.textContent = String(n);
  }

  function lock(on) {
    questions.forEach(function (q, qi) {
      $$("input, select, .order-moves button, .drag, .drop", box(qi)).forEach(function (el) { el.disabled = on; });
      $(".q-actions", box(qi)).hidden = on;
      if (!on) orderButtons($(".order-list", box(qi)));
    });
    var submit = $("#quiz-submit"), retry = $("#quiz-retry");
    if (submit) submit.hidden = on;
    if (retry) retry.hidden = !on;
  }

  function result(announce) {
    var out = $("#quiz-result"), score = state.score / 100, passed = score >= mastery;
    out.className = "quiz-result " + (passed ? "fb-right" : "fb-wrong");
    out.innerHTML = '<p class="result-score"><span aria-hidden="true">' + (passed ? "✓" : "✗") +
      "</span> Your score: <strong>" + fmt(score) + "%</strong></p><p>" +
      (passed ? "Well done: you passed. The pass mark is " : "Not yet passed: the pass mark is ") +
      text(fmt(mastery)) + "%." + (passed ? "" : " Read the feedback on each question, then try again.") + "</p>";
    if (announce) out.focus();
  }

  function submit() {
    var got = 0, max = 0, list = [];
    questions.forEach(function (q, qi) {
      var r = feedback(qi, true), v = answerOf(qi);
      got += q.mark * r.f;
      max += q.mark;
      var it = TYPES[q.t].interaction(v, q);
      it.id12 = q.i12; it.id2004 = q.i04; it.weight = q.mark; it.right = r.f >= FULL;
      list.push(it);
    });
    state.score = Math.round(Math.max(0, max ? got / max : 0) * 10000); /* negative marks count, not below 0 */
    state.locked = true;
    lock(true);
    result(true);
    if (tracker) tracker.interactions(list);
    report(true);
  }

  function retry() {
    questions.forEach(function (q, qi) {
      write(qi, blank(q));
      clearMarks(qi);
    });
    state.locked = false;
    lock(false);
    $("#quiz-result").innerHTML = "";
    answeredCount();
    report(true);
    $("h3", box(0)).setAttribute("tabindex", "-1");
    $("h3", box(0)).focus();
  }

  function orderButtons(list) {
    if (!list) return;
    var items = $$("li", list);
    items.forEach(function (li, k) {
      $(".order-up", li).disabled = k === 0 || state.locked;
      $(".order-down", li).disabled = k === items.length - 1 || state.locked;
    });
  }

  function move(button) {
    var li = button.closest("li"), list = li.parentNode, up = button.classList.contains("order-up");
    var other = up ? li.previousElementSibling : li.nextElementSibling;
    if (!other) return;
    list.insertBefore(li, up ? other : other.nextElementSibling);
    list.dataset.touched = "1";
    orderButtons(list);
    var items = $$("li", list), where = items.indexOf(li) + 1;
    $("[data-moved]", list.parentNode).textContent = $(".order-text", li).textContent +
      ": position " + where + " of " + items.length;
    (button.disabled ? $(up ? ".order-down" : ".order-up", li) : button).focus();
  }

  function setUpQuiz() {
    if (!sections.quiz || !questions.length) return;
    var quiz = sections.quiz;
    quiz.addEventListener("click", function (e) {
      var b = e.target.closest ? e.target.closest("button") : null;
      if (!b || b.disabled) return;
      var q = b.closest(".question");
      if (b.classList.contains("q-check")) feedback(Number(q.dataset.qi), false);
      else if (b.classList.contains("order-up") || b.classList.contains("order-down")) {
        move(b);
        changed(Number(q.dataset.qi), true);
      } else if (b.id === "quiz-submit") submit();
      else if (b.id === "quiz-retry") retry();
    });
    /* Every keystroke is saved; a finished change (a choice, a left text box) is committed. */
    var listen = function (commit) {
      return function (e) {
        var q = e.target.closest ? e.target.closest(".question") : null;
        if (q) changed(Number(q.dataset.qi), commit);
      };
    };
    quiz.addEventListener("input", listen(false));
    quiz.addEventListener("change", listen(true));
    $$(".order-list", quiz).forEach(orderButtons);
    $("#quiz-result").setAttribute("tabindex", "-1");
  }

  function changed(qi, commit) {
    if (state.locked) return;
    clearMarks(qi);
    answeredCount();
    report(commit);
  }

  /* ---- Start and leave. */
  function restore(saved) {
    state.cur = saved.cur;
    state.seen = saved.seen;
    state.score = saved.score;
    state.locked = saved.locked;
    saved.answers.forEach(function (v, qi) { write(qi, v); });
  }

  function start() {
    data = JSON.parse($("#module-data").textContent);
    pages = data.state.pages;
    questions = data.questions;
    sections = {};
    pages.forEach(function (pid) { sections[pid] = document.getElementById(pid); });
    state.seen = pages.map(function () { return false; });
    $$("[data-js][hidden]").forEach(function (el) { el.hidden = false; });
    mastery = Number(document.documentElement.dataset.mastery);
    var link = window.CoursepackTracking ? window.CoursepackTracking.connect(document.documentElement.dataset.runtime) : null;
    var saved = null;
    if (link) {
      tracker = link.tracker;
      if (link.saved.mastery !== null) mastery = link.saved.mastery;
      if (link.saved.entry === "resume") {
        saved = decode(link.saved.suspend);
        if (!saved && pages.indexOf(link.saved.location) >= 0) state.cur = pages.indexOf(link.saved.location);
      }
    }
    setUpQuiz();
    if (saved) restore(saved);
    if (state.locked) {
      lock(true);
      questions.forEach(function (q, qi) { feedback(qi, true); });
      result(false);
    }
    answeredCount();
    setUpNavigation();
    var t = target(location.hash);
    if (t && t.page >= 0) go(location.hash, false);
    else show(state.cur, false);
    setUpLeaving();
  }

  /* Leaving saves the state and ends the session once; hiding the page commits it. */
  function setUpLeaving() {
    var left = false;
    var leave = function () {
      if (left || !tracker) return;
      left = true;
      report(false);
      tracker.finish();
    };
    window.addEventListener("pagehide", leave);
    if (!("onpagehide" in window)) window.addEventListener("unload", leave);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") report(true);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window.Coursepack = window.Coursepack || {});
