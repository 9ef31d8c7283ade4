/* site.js: pages, self-check quiz and saved state of the coursepack revision module. No
 * dependencies; ES2017. Without JavaScript every page shows, one after another. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var IDS = "abcdefghijklmnopqrstuvwxyz0123456789";
  var FULL = 0.999999;
  var BAD; /* undefined: an answer that cannot be decoded */
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

  /* ---- Typed answers in suspend_data: '%', '~' and '|' escaped, so at most 3 characters each. */
  function esc(s) { return s.replace(/[%~|]/g, function (c) { return "%" + c.charCodeAt(0).toString(16).toUpperCase(); }); }
  function unesc(s) { return s.replace(/%(25|7E|7C)/g, function (m, h) { return String.fromCharCode(parseInt(h, 16)); }); }
  function id(i) { return IDS.charAt(i); }
  function index(c, limit) { var i = IDS.indexOf(c); return i >= 0 && i < limit ? i : null; }

  /* ---- Question types: read and write the form, encode the answer, mark it. */
  function box(qi) { return sections.quiz.querySelector('.question[data-qi="' + qi + '"]'); }
  function inputs(qi) { return $$("input, select", box(qi)); }

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

  var single = {
    read: function (qi) { var c = $("input:checked", box(qi)); return c ? c.value : null; },
    write: function (qi, v) { inputs(qi).forEach(function (el) { el.checked = el.value === v; }); }
  };
  var parts = {
    read: function (qi) {
      var v = [];
      $$("select", box(qi)).forEach(function (s) { v[Number(s.dataset.part)] = s.value === "" ? null : Number(s.value); });
      return v;
    },
    write: function (qi, v) {
      $$("select", box(qi)).forEach(function (s) { var p = v[Number(s.dataset.part)]; s.value = p === null ? "" : String(p); });
    },
    encode: function (v) { return v.map(function (p) { return p === null ? "-" : id(p); }).join(""); },
    decode: function (s, q) {
      if (s.length !== q.c.length) return BAD;
      var v = s.split("").map(function (c) { return c === "-" ? null : index(c, IDS.length); });
      return v.some(function (p, k) { return p === null && s.charAt(k) !== "-"; }) ? BAD : v;
    },
    answered: function (v) { return v.some(function (p) { return p !== null; }); }
  };
  var typed = {
    read: function (qi) { var el = $("input", box(qi)); return el.value.slice(0, el.maxLength > 0 ? el.maxLength : undefined); },
    write: function (qi, v) { $("input", box(qi)).value = v; },
    encode: esc,
    decode: unesc,
    answered: function (v) { return v.trim() !== ""; }
  };

  var TYPES = {
    mc: {
      read: function (qi, q) {
        if (q.single) { var v = single.read(qi); return v === null ? [] : [Number(v)]; }
        return $$("input:checked", box(qi)).map(function (el) { return Number(el.value); });
      },
      write: function (qi, v) { inputs(qi).forEach(function (el) { el.checked = v.indexOf(Number(el.value)) >= 0; }); },
      encode: function (v) { return v.slice().sort(function (a, b) { return a - b; }).map(id).join(""); },
      decode: function (s, q) {
        var v = s.split("").map(function (c) { return index(c, q.g.length); });
        return v.indexOf(null) >= 0 || (q.single && v.length > 1) ? BAD : v;
      },
      answered: function (v) { return v.length > 0; },
      mark: function (v, q) {
        var sum = v.reduce(function (t, i) { return t + q.g[i]; }, 0) / 100;
        var marks = {};
        v.forEach(function (i) { marks[i] = q.g[i] >= 100 || (q.g[i] > 0 && !q.single) ? 1 : q.g[i] > 0 ? 0.5 : 0; });
        return {
          f: Math.max(0, Math.min(1, sum)), marks: marks,
          fb: v.map(function (i) { return q.fb[i]; }).join(""),
          right: v.filter(function (i) { return q.g[i] > 0; }).length
        };
      },
      interaction: function (v, q) {
        return { type: "choice", response: v.slice().sort(function (a, b) { return a - b; }).map(id), correct: q.c };
      }
    },
    tf: {
      read: function (qi) { var v = single.read(qi); return v === null ? null : v === "t"; },
      write: function (qi, v) { single.write(qi, v === null ? "" : v ? "t" : "f"); },
      encode: function (v) { return v === null ? "" : v ? "t" : "f"; },
      decode: function (s) { return s === "" ? null : s === "t" ? true : s === "f" ? false : BAD; },
      answered: function (v) { return v !== null; },
      mark: function (v, q) {
        var ok = v === q.c, marks = {};
        if (v !== null) marks[v ? "t" : "f"] = ok ? 1 : 0;
        return { f: ok ? 1 : 0, marks: marks, fb: v === null ? "" : v ? q.fbt : q.fbf };
      },
      interaction: function (v, q) { return { type: "true-false", response: v, correct: q.c }; }
    },
    sa: Object.assign({}, typed, {
      mark: function (v, q) {
        var a = typed.answered(v) ? best(q.ans, function (x) { return wildcard(x.p, q.cs).test(normalise(v)); }) : null;
        var f = a ? Math.max(0, a.g / 100) : 0;
        return { f: f, marks: typed.answered(v) ? { "in": f } : {}, fb: a ? a.fb : "" };
      },
      interaction: function (v, q) {
        return { type: "fill-in", response: v.trim() || null, correct: q.cr, caseMatters: q.cs };
      }
    }),
    num: Object.assign({}, typed, {
      mark: function (v, q) {
        var x = parseNumber(v);
        var a = x === null ? null : best(q.ans, function (y) {
          return Math.abs(x - y.v) <= y.tol + 1e-9 * Math.max(1, Math.abs(y.v));
        });
        var f = a ? Math.max(0, a.g / 100) : 0;
        var fb = a ? a.fb : typed.answered(v) && x === null ? "<p>Please type a number, for example 12.5.</p>" : "";
        return { f: f, marks: typed.answered(v) ? { "in": f } : {}, fb: fb };
      },
      interaction: function (v, q) { return { type: "numeric", response: parseNumber(v), correct: q.cr }; }
    }),
    match: Object.assign({}, parts, {
      mark: function (v, q) { return markParts(v, q); },
      interaction: function (v, q) { return pairsOf(v, q); }
    }),
    gap: Object.assign({}, parts, {
      mark: function (v, q) { return markParts(v, q); },
      interaction: function (v, q) { return pairsOf(v, q); }
    }),
    ord: {
      read: function (qi) {
        var list = $(".order-list", box(qi));
        return { order: $$("li", list).map(function (li) { return Number(li.dataset.item); }), touched: list.dataset.touched === "1" };
      },
      write: function (qi, v, q) {
        var list = $(".order-list", box(qi));
        var order = v.touched ? v.order : q.init;
        order.forEach(function (i) { list.appendChild($('li[data-item="' + i + '"]', list)); });
        list.dataset.touched = v.touched ? "1" : "";
        orderButtons(list);
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
        var f = orderingFraction(v.order, q.grading);
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

  function markParts(v, q) {
    var marks = {}, right = 0;
    v.forEach(function (p, k) {
      if (p !== null) marks["p" + k] = p === q.c[k] ? 1 : 0;
      if (p === q.c[k]) right++;
    });
    return { f: right / q.c.length, marks: marks, fb: "", right: right };
  }

  function pairsOf(v, q) {
    var response = [], correct = [];
    v.forEach(function (p, k) { if (p !== null) response.push([id(k), id(p)]); });
    q.c.forEach(function (c, k) { correct.push([id(k), id(c)]); });
    return { type: "matching", response: response, correct: correct };
  }

  /* Moodle's ordering grading types; items are numbered by their correct position. */
  function orderingFraction(order, grading) {
    var n = order.length, count = 0, total = 0, pos = {}, i;
    order.forEach(function (item, k) { pos[item] = k; });
    var next = function (list, item, includeLast) {
      var k = list.indexOf(item);
      return k < list.length - 1 ? list[k + 1] : includeLast ? -1 : undefined;
    };
    var correct = order.slice().sort(function (a, b) { return a - b; });
    switch (grading) {
      case "all_or_nothing":
        return order.every(function (item, k) { return item === k; }) ? 1 : 0;
      case "relative_next_exclude_last":
      case "relative_next_include_last": {
        var last = grading === "relative_next_include_last";
        for (i = 0; i < (last ? n : n - 1); i++) {
          if (next(order, i, last) === next(correct, i, last)) count++;
          total++;
        }
        break;
      }
      case "relative_one_previous_and_next":
        for (i = 0; i < n; i++) {
          var p = pos[i];
          if ((p > 0 ? order[p - 1] : -1) === (i > 0 ? i - 1 : -1)) count++;
          if ((p < n - 1 ? order[p + 1] : -1) === (i < n - 1 ? i + 1 : -1)) count++;
          total += 2;
        }
        break;
      case "relative_all_previous_and_next":
        for (i = 0; i < n; i++) {
          for (var j = 0; j < n; j++) {
            if (j === i) continue;
            if ((pos[j] < pos[i]) === (j < i)) count++;
            total++;
          }
        }
        break;
      case "longest_ordered_subset":
      case "longest_contiguous_subset": {
        var contiguous = grading === "longest_contiguous_subset", length = [], longest = 0;
        for (var a = 0; a < n; a++) {
          length[a] = 1;
          for (var b = 0; b < a; b++) {
            var fits = contiguous ? order[a] === order[b] + 1 : order[a] > order[b];
            if (fits) length[a] = Math.max(length[a], length[b] + 1);
          }
          longest = Math.max(longest, length[a]);
        }
        count = longest > 1 ? longest : 0;
        total = n;
        break;
      }
      default: /* absolute_position */
        order.forEach(function (item, k) { if (item === k) count++; });
        total = n;
    }
    return total ? count / total : 0;
  }

  /* ---- Saved state (suspend_data): "1|fp|page|seen|score|submitted|answer~answer~...":
   * page one character, seen one 0/1 per page, score three base-36 digits of hundredths (or
   * empty), then per question: choice characters, t/f, escaped text, one character (or '-')
   * per item or gap, or the ordering's characters once moved. site.py state_budget() bounds it. */
  function answerOf(qi) { var q = questions[qi]; return TYPES[q.t].read(qi, q); }

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

  /* Mark one question and show its feedback; before submitting, an unanswered question only
   * gets a prompt, not the answer. */
  function feedback(qi, final) {
    var q = questions[qi], type = TYPES[q.t], v = answerOf(qi), r = type.mark(v, q), b = box(qi);
    var answered = type.answered(v);
    if (!answered && !final) {
      $(".q-feedback", b).innerHTML = '<p class="fb-status fb-none">Answer the question first, then check it.</p>';
      return r;
    }
    var cls = !answered ? "none" : r.f >= FULL ? "right" : r.f > 0 ? "part" : "wrong";
    var label = { none: "Not answered", right: "Correct", part: "Partly correct", wrong: "Not quite" }[cls];
    var icon = { none: "–", right: "✓", part: "◐", wrong: "✗" }[cls];
    var html = '<p class="fb-status fb-' + cls + '"><span class="fb-icon" aria-hidden="true">' + icon +
      "</span> <strong>" + label + "</strong> <span class=\"fb-mark\">Mark " + fmt(q.mark * r.f) +
      " out of " + fmt(q.mark) + "</span></p>";
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
      $$("input, select, .order-moves button", box(qi)).forEach(function (el) { el.disabled = on; });
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
    state.score = Math.round((max ? got / max : 0) * 10000);
    state.locked = true;
    lock(true);
    result(true);
    if (tracker) tracker.interactions(list);
    report(true);
  }

  function blank(q) {
    if (q.t === "mc") return [];
    if (q.t === "tf") return null;
    if (q.t === "match" || q.t === "gap") return q.c.map(function () { return null; });
    if (q.t === "ord") return { order: q.init.slice(), touched: false };
    return "";
  }

  function retry() {
    questions.forEach(function (q, qi) {
      TYPES[q.t].write(qi, blank(q), q);
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
    saved.answers.forEach(function (v, qi) { var q = questions[qi]; TYPES[q.t].write(qi, v, q); });
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
})();
