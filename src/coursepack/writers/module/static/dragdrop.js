/* dragdrop.js: the revision module's drag and drop into text. Words are dragged from the tray
 * into gaps with a mouse or a finger, or chosen and placed with a keyboard (choose a word, then a
 * gap; choose a filled gap to send its word back). A gap takes the words of its group; a word
 * that is not unlimited fills one gap at a time. No dependencies; ES2017. Adds the "drag" type
 * to window.Coursepack.quiz.TYPES; load after quiz.js and before site.js. */
(function (ns) {
  "use strict";

  var Q = ns.quiz;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function choiceOf(b, i) { return $('.drag[data-choice="' + i + '"]', b); }
  function drops(b) { return $$(".drop", b); }
  function valueOf(drop) { return drop.dataset.value === undefined || drop.dataset.value === "" ? null : Number(drop.dataset.value); }

  /* Show what each gap holds, and take out of the tray each placed word that is not unlimited. */
  function show(b) {
    var all = drops(b), used = {};
    all.forEach(function (drop) {
      var i = valueOf(drop), choice = i === null ? null : choiceOf(b, i);
      var word = choice ? choice.textContent : "";
      drop.textContent = word;
      drop.classList.toggle("drop-filled", choice !== null);
      drop.setAttribute("aria-label", "Gap " + (Number(drop.dataset.part) + 1) + " of " + all.length + ": " + (word || "empty"));
      if (choice) used[i] = true;
    });
    $$(".drag", b).forEach(function (drag) {
      drag.hidden = used[drag.dataset.choice] === true && drag.dataset.unlimited !== "1";
    });
  }

  /* Put word i (or nothing) in a gap; a word that fills one gap only leaves the gap it was in. */
  function put(b, drop, i) {
    if (i !== null && choiceOf(b, i).dataset.unlimited !== "1") {
      drops(b).forEach(function (other) { if (valueOf(other) === i) other.dataset.value = ""; });
    }
    drop.dataset.value = i === null ? "" : String(i);
    show(b);
  }

  Q.TYPES.drag = Object.assign({}, Q.TYPES.gap, {
    read: function (b) {
      var v = [];
      drops(b).forEach(function (drop) { v[Number(drop.dataset.part)] = valueOf(drop); });
      return v;
    },
    write: function (b, v) {
      drops(b).forEach(function (drop) {
        var i = v[Number(drop.dataset.part)], choice = i === null || i === undefined ? null : choiceOf(b, i);
        drop.dataset.value = choice && choice.dataset.group === drop.dataset.group ? String(i) : "";
      });
      show(b);
    }
  });

  /* ---- The learner's moves: each one is a change of the question's answer. */
  function picked(b) { return $('.drag[aria-pressed="true"]', b); }
  function pick(b, drag) {
    $$(".drag", b).forEach(function (d) { d.setAttribute("aria-pressed", d === drag ? "true" : "false"); });
  }
  function say(b, message) { var out = $("[data-placed]", b); if (out) out.textContent = message; }
  function changed(drop) { drop.dispatchEvent(new Event("change", { bubbles: true })); }

  function place(b, drop, i) {
    var choice = choiceOf(b, i);
    if (!choice || drop.disabled) return;
    if (choice.dataset.group !== drop.dataset.group) {
      say(b, "“" + choice.textContent + "” does not go in this gap.");
      return;
    }
    put(b, drop, i);
    pick(b, null);
    say(b, "“" + choice.textContent + "” placed in gap " + (Number(drop.dataset.part) + 1) + ".");
    changed(drop);
  }

  function empty(b, drop) {
    var i = valueOf(drop);
    if (i === null || drop.disabled) return;
    put(b, drop, null);
    say(b, "“" + choiceOf(b, i).textContent + "” taken out of gap " + (Number(drop.dataset.part) + 1) + ".");
    changed(drop);
  }

  function onClick(e) {
    var el = e.target.closest ? e.target.closest(".drag, .drop") : null;
    var b = el ? el.closest(".question") : null;
    if (!b || el.disabled) return;
    if (el.classList.contains("drag")) {
      pick(b, el.getAttribute("aria-pressed") === "true" ? null : el);
      return;
    }
    var drag = picked(b);
    if (drag) place(b, el, Number(drag.dataset.choice));
    else empty(b, el);
  }

  /* Mouse and touch: a word dragged from the tray or from a gap, dropped on a gap or the tray. */
  var moving = null;
  function onDragStart(e) {
    var el = e.target.closest ? e.target.closest(".drag, .drop") : null;
    if (!el || el.disabled || (el.classList.contains("drop") && valueOf(el) === null)) return;
    var i = el.classList.contains("drag") ? Number(el.dataset.choice) : valueOf(el);
    moving = { from: el.classList.contains("drop") ? el : null, choice: i };
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", choiceOf(el.closest(".question"), i).textContent);
  }
  function target(e) {
    var el = e.target.closest ? e.target.closest(".drop, .drag-tray") : null;
    if (!el || !moving || el.disabled) return null;
    var b = el.closest(".question");
    return b && choiceOf(b, moving.choice) ? el : null;
  }
  function onDragOver(e) { if (target(e)) e.preventDefault(); }
  function onDrop(e) {
    var el = target(e);
    if (!el) return;
    e.preventDefault();
    var b = el.closest(".question"), from = moving.from, i = moving.choice;
    moving = null;
    if (el.classList.contains("drag-tray")) { if (from) empty(b, from); return; }
    if (from && from !== el && choiceOf(b, i).dataset.group === el.dataset.group) put(b, from, null);
    place(b, el, i);
  }

  function setUp() {
    var boxes = $$(".ddwtos");
    if (!boxes.length) return;
    boxes.forEach(function (box) {
      var b = box.closest(".question");
      drops(b).forEach(function (drop) { drop.setAttribute("draggable", "true"); });
      show(b);
    });
    document.addEventListener("click", onClick);
    document.addEventListener("dragstart", onDragStart);
    document.addEventListener("dragover", onDragOver);
    document.addEventListener("drop", onDrop);
    document.addEventListener("dragend", function () { moving = null; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})(window.Coursepack = window.Coursepack || {});
