/* lesson.js: the preview's lesson player, following mod/lesson: a content page's buttons and a
 * question page's answers jump to a page, the next or previous one, the same one or the end; an
 * answer shows its response (or Moodle's "That's the correct answer" / "That's the wrong
 * answer") and, when wrong, the attempts left (maximum 0: unlimited); at the end the score is
 * the last attempt's score on each page answered, out of the best score of each, as
 * lesson_grade() counts it with custom scoring. */
(function () {
  "use strict";

  var root = document.getElementById("lesson");
  var data = JSON.parse(root.dataset.lesson);
  var pages = data.pages, attempts = {};

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

  /* Which answer a response takes, as each page type's check_answer() finds it: null when
   * there is no answer (or, for a number, none Moodle's float field takes). */
  function check(p, f) {
    if (p.kind === "multichoice" && p.multiple) {
      var picked = Array.prototype.map.call(f.querySelectorAll("input:checked"), function (el) { return Number(el.value); });
      if (!picked.length) return null;
      var right = p.answers.filter(function (a) { return a.score > 0; });
      var hits = picked.filter(function (k) { return p.answers[k].score > 0; }).length;
      var ok = picked.length === right.length && hits === right.length;
      var wrong = picked.filter(function (k) { return p.answers[k].score <= 0; })[0];
      /* right: the first right answer's jump; wrong: the first wrong one picked, or (only right
       * ones, not all of them) no answer and no jump: this page again, nothing earned */
      var a = ok ? right[0] : wrong !== undefined ? p.answers[wrong] : null;
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
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(typed)) return null;
      var x = parseFloat(typed);
      hit = p.answers.filter(function (a) { return a.value !== null && Math.abs(x - a.value) <= a.tol + 1e-9 * Math.max(1, Math.abs(a.value)); })[0] || null;
    } else {
      hit = p.answers.filter(function (a) { var re = pattern(a.text, p.cs, p.cs); return re && re.test(typed); })[0] || null;
    }
    return { answer: hit, correct: p.kind !== "essay" && !!(hit && hit.score > 0), shown: esc(typed), response: hit ? hit.response : "" };
  }

  /* record_attempt(): attempts beyond the lesson's maximum are not recorded and move on; a wrong
   * answer shows the attempts left, and one that stays on its page moves on once none are. */
  function answer(p, i, f) {
    var max = data.maxAttempts, tries = attempts[p.id] = attempts[p.id] || [];
    var r = check(p, f), next, message = "";
    if (!r) { f.querySelector(".pv-lerror").textContent = "One or more questions have no answer given.  Please go back and submit an answer."; return; }
    if (max && tries.length >= max) {
      return feedback(p, i + 1, '<p>Maximum number of attempts reached - Moving to next page</p>');
    }
    tries.push(r);
    next = r.answer ? target(r.answer.to, i) : i;
    if (!r.correct) {
      if (next === i && max && tries.length >= max) {
        if (max > 1) message = "<p>Maximum number of attempts reached - Moving to next page</p>";
        next = i + 1;
      } else if (max > 1) {
        message = "<p>You have " + (max - tries.length) + " attempt(s) remaining</p>";
      }
    }
    var response = r.response || (p.kind === "essay" ? "Your essay will be graded by your teacher." :
      r.correct ? "That's the correct answer" : "That's the wrong answer");
    feedback(p, next, "<p><em>Your answer</em> : " + r.shown + '</p><div class="pv-response fb-status fb-' +
      (p.kind === "essay" ? "none" : r.correct ? "right" : "wrong") + '">' + response + "</div>" + message);
  }

  function feedback(p, next, html) {
    root.querySelector("form").outerHTML = '<div class="pv-lfeedback">' + html +
      '<p class="pv-buttons"><button type="button" class="btn btn-primary" data-continue>Continue</button></p></div>';
    root.querySelector("[data-continue]").addEventListener("click", function () { go(next); });
  }

  /* The end of the lesson, as mod/lesson's end-of-lesson page words it (lesson_grade()). */
  function end() {
    var earned = 0, total = 0, answered = 0, manual = 0, manualPoints = 0;
    pages.forEach(function (p) {
      var tries = attempts[p.id];
      if (!tries || !tries.length) return;
      answered += tries.length;
      var last = tries[tries.length - 1];
      if (p.kind === "essay") { manual++; manualPoints += last.answer ? last.answer.score : 0; }
      else if (last.answer) earned += last.answer.score;
      total += Math.max.apply(null, p.answers.map(function (a) { return a.score; }));
    });
    var grade = total ? Math.round(100 * earned / total * 100000) / 100000 : 0, score = "";
    if (answered && manual) {
      score = "<p>You earned " + earned + " out of " + (total - manualPoints) + " for the automatically graded questions.</p>" +
        "<p>Your " + manual + " essay question(s) will be graded and added into your final score at a later date.</p>" +
        "<p>Your current grade without the essay question(s) is " + earned + " out of " + total + ".</p>";
    } else if (answered) {
      score = "<p>Your score is " + earned + " (out of " + total + ").</p>";
    }
    if (answered) score += "<p>Your current grade is " + grade.toFixed(1) + " out of 100</p>";
    root.innerHTML = '<section class="pv-lend"><h2>Congratulations - end of lesson reached</h2>' + score +
      '<p class="pv-buttons"><button type="button" class="btn" data-restart>Start the lesson again</button></p></section>';
    root.querySelector("[data-restart]").addEventListener("click", function () { attempts = {}; go(0); });
    root.querySelector("h2").tabIndex = -1;
    root.querySelector("h2").focus();
  }

  go(0, true);
})();
