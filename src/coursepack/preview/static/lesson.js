/* lesson.js: the preview's lesson player, following mod/lesson: a content page's buttons and a
 * question page's answers jump to a page, the next or previous one, the same one or the end; an
 * answer shows its response (or Moodle's "That's the correct answer" / "That's the wrong
 * answer"); a wrong answer may be tried again while attempts remain; at the end the score is
 * the last attempt's score on each page answered, out of the best score of each, as
 * lesson_grade() counts it with custom scoring. */
(function () {
  "use strict";

  var root = document.getElementById("lesson");
  var data = JSON.parse(root.dataset.lesson);
  var pages = data.pages, attempts = {}, current = 0;

  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function index(id) { for (var i = 0; i < pages.length; i++) if (pages[i].id === id) return i; return -1; }

  /* A jump from page i: a page's index, or pages.length for the end of the lesson. */
  function target(to, i) {
    if (to === "this") return i;
    if (to === "next") return i + 1;
    if (to === "previous") return Math.max(0, i - 1);
    if (to === "end") return pages.length;
    var found = index(to);
    return found < 0 ? pages.length : found;
  }

  function go(i, quiet) {
    current = i;
    if (i >= pages.length) return end();
    var p = pages[i];
    var html = '<section class="pv-lpage" data-page="' + esc(p.id) + '"><p class="pv-muted">Page ' + (i + 1) + " of " + pages.length + "</p><h2>" + esc(p.title) + "</h2>" + p.html;
    html += p.kind === "content" ? buttons(p) : form(p);
    root.innerHTML = html + "</section>";
    wire(p, i);
    var h = root.querySelector("h2");
    h.tabIndex = -1;
    if (!quiet) h.focus();
  }

  function buttons(p) {
    return '<p class="pv-buttons">' + p.buttons.map(function (b, k) {
      return '<button type="button" class="btn" data-button="' + k + '">' + esc(b.label) + "</button>";
    }).join(" ") + "</p>";
  }

  function form(p) {
    var body;
    if (p.kind === "multichoice" || p.kind === "truefalse") {
      var kind = p.multiple ? "checkbox" : "radio";
      body = p.answers.map(function (a, k) {
        return '<label class="pv-choice"><input type="' + kind + '" name="answer" value="' + k + '"> ' + a.html + "</label>";
      }).join("");
    } else if (p.kind === "essay") {
      body = '<label>Your answer<textarea name="answer" rows="8"></textarea></label>';
    } else {
      body = '<label>Your answer <input type="text" name="answer" autocomplete="off"></label>';
    }
    return '<form class="pv-lform">' + body + '<p><button type="submit" class="btn btn-primary">Submit</button></p>' +
      '<p class="pv-lerror" role="alert"></p></form>';
  }

  function wire(p, i) {
    root.querySelectorAll("[data-button]").forEach(function (b) {
      b.addEventListener("click", function () { go(target(p.buttons[Number(b.dataset.button)].to, i)); });
    });
    var f = root.querySelector("form");
    if (f) f.addEventListener("submit", function (e) { e.preventDefault(); answer(p, i, f); });
  }

  function pattern(text, cs, regexp) {
    if (regexp) {
      try { return new RegExp("^(?:" + text + ")$", cs ? "u" : "iu"); } catch (e) { return null; }
    }
    return new RegExp("^" + text.split("*").map(function (s) { return s.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"); }).join(".*") + "$", "iu");
  }

  /* Which answer a response takes, as each page type's check_answer() finds it. */
  function check(p, f) {
    if (p.kind === "multichoice" && p.multiple) {
      var picked = Array.prototype.map.call(f.querySelectorAll("input:checked"), function (el) { return Number(el.value); });
      if (!picked.length) return null;
      var right = p.answers.filter(function (a) { return a.score > 0; });
      var hits = picked.filter(function (k) { return p.answers[k].score > 0; }).length;
      var ok = picked.length === right.length && hits === right.length;
      var wrong = picked.filter(function (k) { return p.answers[k].score <= 0; })[0];
      var a = ok ? right[0] : p.answers[wrong !== undefined ? wrong : picked[0]];
      return { answer: a, correct: ok, shown: picked.map(function (k) { return p.answers[k].html; }).join(", "),
        response: picked.map(function (k) { return p.answers[k].response; }).join("") };
    }
    if (p.kind === "multichoice" || p.kind === "truefalse") {
      var one = f.querySelector("input:checked");
      if (!one) return null;
      var chosen = p.answers[Number(one.value)];
      return { answer: chosen, correct: chosen.score > 0, shown: chosen.html, response: chosen.response };
    }
    var typed = f.answer.value.trim();
    if (typed === "") return null;
    var hit = null;
    if (p.kind === "essay") hit = p.answers[0];
    else if (p.kind === "numerical") {
      var x = parseFloat(typed.replace(",", "."));
      hit = p.answers.filter(function (a) { return a.value !== null && !isNaN(x) && Math.abs(x - a.value) <= a.tol + 1e-9; })[0] || null;
    } else {
      hit = p.answers.filter(function (a) { var re = pattern(a.text, p.cs, p.cs); return re && re.test(typed); })[0] || null;
    }
    return { answer: hit, correct: p.kind === "essay" ? null : !!(hit && hit.score > 0), shown: esc(typed), response: hit ? hit.response : "" };
  }

  function answer(p, i, f) {
    var r = check(p, f);
    if (!r) { f.querySelector(".pv-lerror").textContent = "No answer given. Please go back and submit an answer."; return; }
    var tries = attempts[p.id] = attempts[p.id] || [];
    if (tries.length < data.maxAttempts) tries.push(r);
    var next = r.answer ? target(r.answer.to, i) : i;
    var left = data.maxAttempts - tries.length;
    var html = '<div class="pv-lfeedback"><p>Your answer: ' + r.shown + "</p>";
    if (p.kind === "essay") html += "<p>Your answer will be graded by your teacher.</p>";
    else html += '<p class="fb-status fb-' + (r.correct ? "right" : "wrong") + '">' + (r.response || (r.correct ? "That's the correct answer." : "That's the wrong answer.")) + "</p>";
    if (!r.correct && p.kind !== "essay" && left > 0 && next === i) {
      html += "<p>You have " + left + " attempt(s) remaining.</p><p class=\"pv-buttons\"><button type=\"button\" class=\"btn\" data-again>Yes, I'd like to try again</button> " +
        "<button type=\"button\" class=\"btn\" data-on>No, I just want to go on to the next question</button></p>";
    } else {
      html += '<p class="pv-buttons"><button type="button" class="btn btn-primary" data-continue>Continue</button></p>';
    }
    root.querySelector("form").outerHTML = html + "</div>";
    var again = root.querySelector("[data-again]"), on = root.querySelector("[data-on]"), cont = root.querySelector("[data-continue]");
    if (again) again.addEventListener("click", function () { go(i); });
    if (on) on.addEventListener("click", function () { go(i + 1); });
    if (cont) cont.addEventListener("click", function () { go(next === i && left <= 0 ? i + 1 : next); });
  }

  function end() {
    var earned = 0, total = 0, answered = 0, manual = 0;
    pages.forEach(function (p) {
      var tries = attempts[p.id];
      if (!tries || !tries.length) return;
      answered++;
      var last = tries[tries.length - 1];
      if (p.kind === "essay") manual++;
      else if (last.answer) earned += last.answer.score;
      total += Math.max.apply(null, p.answers.map(function (a) { return a.score; }));
    });
    var grade = total ? Math.round(100 * earned / total * 100000) / 100000 : 0;
    root.innerHTML = '<section class="pv-lend"><h2>Congratulations - end of lesson reached</h2>' +
      (answered ? "<p>Your score is " + earned + " (out of " + total + ").</p><p>Your current grade is " + grade + " out of 100.</p>" : "") +
      (manual ? "<p>" + manual + " essay question(s) will be graded by your teacher.</p>" : "") +
      '<p class="pv-buttons"><button type="button" class="btn" data-restart>Start the lesson again</button></p></section>';
    root.querySelector("[data-restart]").addEventListener("click", function () { attempts = {}; go(0); });
    root.querySelector("h2").tabIndex = -1;
    root.querySelector("h2").focus();
  }

  go(0, true);
})();
