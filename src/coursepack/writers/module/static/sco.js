/* sco.js: the coursepack revision module's SCORM 1.2 / 2004 run-time. It finds the LMS API,
 * reports location, progress, score, interactions and saved state, and stays silent without an
 * LMS. No dependencies; ES2017. <html data-runtime="scorm12|scorm2004|none"> picks the version:
 * a 1.2 session never calls a 2004 function, nor the reverse. */
(function () {
  "use strict";

  var MAX_LEVELS = 500;

  function lookIn(win, name) {
    for (var level = 0; win && level <= MAX_LEVELS; level++) {
      try {
        if (win[name]) return win[name];
      } catch (e) { /* another origin: keep climbing */ }
      var parent = null;
      try { parent = win.parent; } catch (e) { parent = null; }
      if (!parent || parent === win) break;
      win = parent;
    }
    return null;
  }

  function findAPI(name) {
    var found = lookIn(window, name);
    if (found) return found;
    var opener = null;
    try { opener = window.opener; } catch (e) { opener = null; }
    return opener ? lookIn(opener, name) : null;
  }

  /* A number as a CMIDecimal (no exponent, at most 10 integer digits), or null. */
  function decimal(n) {
    if (typeof n !== "number" || !isFinite(n) || Math.abs(n) >= 1e10) return null;
    var text = String(n);
    if (text.indexOf("e") >= 0) text = n.toFixed(18).replace(/0+$/, "").replace(/\.$/, "");
    return text === "-0" ? "0" : text;
  }

  function centiseconds(ms) { return Math.max(0, Math.round(ms / 10)); }

  /* SCORM 1.2 CMITimespan, HHHH:MM:SS.SS */
  function timespan12(ms) {
    var cs = Math.min(centiseconds(ms), 3599999999);
    var pad = function (n, width) { return String(n).padStart(width, "0"); };
    return pad(Math.floor(cs / 360000), 4) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" +
      pad(Math.floor(cs / 100) % 60, 2) + "." + pad(cs % 100, 2);
  }

  /* SCORM 2004 ISO 8601 duration, PT1H2M3.45S */
  function duration2004(ms) {
    var cs = centiseconds(ms);
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    return "PT" + (h ? h + "H" : "") + (h || m ? m + "M" : "") + s + "S";
  }

  /* How each SCORM version spells things. */
  var V12 = {
    api: "API", init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue",
    commit: "LMSCommit", finish: "LMSFinish",
    entry: "cmi.core.entry", location: "cmi.core.lesson_location",
    suspend: "cmi.suspend_data", exit: "cmi.core.exit", time: "cmi.core.session_time",
    raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max",
    learner: "student_response", list: ",", pair: ".", wrong: "wrong",
    timespan: timespan12
  };
  var V2004 = {
    api: "API_1484_11", init: "Initialize", get: "GetValue", set: "SetValue",
    commit: "Commit", finish: "Terminate",
    entry: "cmi.entry", location: "cmi.location",
    suspend: "cmi.suspend_data", exit: "cmi.exit", time: "cmi.session_time",
    raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max",
    learner: "learner_response", list: "[,]", pair: "[.]", wrong: "incorrect",
    timespan: duration2004
  };

  /* A typed answer as a 2004 fill-in string: no delimiters, no leading '{', at most 250. */
  function fillIn2004(text) {
    var clean = String(text).replace(/\[[,.:]\]/g, " ").slice(0, 250);
    return clean.charAt(0) === "{" ? "(" + clean.slice(1) : clean;
  }

  /* The learner's response and the correct pattern of an interaction, in this version's syntax. */
  function formats(v, it) {
    var is12 = v === V12;
    var pairs = function (list) {
      return list.map(function (p) { return p[0] + v.pair + p[1]; }).join(v.list);
    };
    switch (it.type) {
      case "true-false": {
        var tf = function (b) { return is12 ? (b ? "t" : "f") : String(b); };
        return [it.response === null ? null : tf(it.response), tf(it.correct)];
      }
      case "fill-in": {
        var typed = it.response ? (is12 ? it.response.slice(0, 255) : fillIn2004(it.response)) : null;
        var right = is12 ? it.correct.slice(0, 255) :
          (it.caseMatters ? "{case_matters=true}" : "") + fillIn2004(it.correct);
        return [typed, right];
      }
      case "numeric":
        return [decimal(it.response), is12 ? it.correct.v : it.correct.lo + "[:]" + it.correct.hi];
      case "matching":
        return [it.response.length ? pairs(it.response) : null, pairs(it.correct)];
      default: /* choice, sequencing */
        return [it.response.length ? it.response.join(v.list) : null, it.correct.join(v.list)];
    }
  }

  function Tracker(v, api) {
    this.v = v;
    this.api = api;
    this.sent = {};
    this.began = Date.now();
    this.live = false;
    this.kept = "";
  }

  Tracker.prototype.call = function (fn, a, b) {
    try {
      var result = this.api[this.v[fn]](a, b);
      return result === undefined || result === null ? "" : String(result);
    } catch (e) {
      return "";
    }
  };

  Tracker.prototype.get = function (element) { return this.call("get", element); };

  Tracker.prototype.put = function (element, value) {
    value = String(value);
    if (this.sent[element] === value) return;
    this.sent[element] = value;
    this.call("set", element, value);
  };

  /* Initialise; the saved data to resume from ({entry, suspend, location, mastery}) or null. */
  Tracker.prototype.start = function () {
    if (this.call("init", "") !== "true") return null;
    this.live = true;
    var v = this.v;
    var resume = this.get(v.entry) === "resume";
    var status = v === V12 ? this.get("cmi.core.lesson_status") : this.get("cmi.completion_status");
    if (/^(completed|passed|failed)$/.test(status)) this.kept = status;
    var mastery = null;
    if (v === V12) {
      var ms = parseFloat(this.get("cmi.student_data.mastery_score"));
      if (isFinite(ms) && ms >= 0 && ms <= 100) mastery = ms;
    } else {
      var sps = parseFloat(this.get("cmi.scaled_passing_score"));
      if (isFinite(sps) && sps >= -1 && sps <= 1) mastery = Math.max(0, sps * 100);
    }
    this.put(v.exit, "suspend");
    return {
      entry: resume ? "resume" : "",
      suspend: resume ? this.get(v.suspend) : "",
      location: resume ? this.get(v.location) : "",
      mastery: mastery
    };
  };

  /* Record the learner's state: {location, suspend, seen, total, result: {score, passed}|null}. */
  Tracker.prototype.save = function (s) {
    if (!this.live) return;
    var v = this.v;
    var done = s.seen >= s.total;
    var completion = done ? "completed" : "incomplete";
    this.put(v.location, s.location);
    this.put(v.suspend, s.suspend);
    if (v === V12) {
      var status = s.result ? (s.result.passed ? "passed" : "failed") : completion;
      if (!(status === "incomplete" && this.kept)) this.put("cmi.core.lesson_status", status);
    } else {
      if (!(completion === "incomplete" && this.kept)) this.put("cmi.completion_status", completion);
      this.put("cmi.success_status", s.result ? (s.result.passed ? "passed" : "failed") : "unknown");
      this.put("cmi.progress_measure", String(Math.round((s.seen / s.total) * 10000) / 10000));
    }
    if (s.result) {
      this.put(v.min, "0");
      this.put(v.max, "100");
      this.put(v.raw, String(Math.round(s.result.score * 100) / 100));
      if (v === V2004) this.put("cmi.score.scaled", String(Math.round(s.result.score * 100) / 10000));
    }
  };

  /* Append the quiz's interactions: [{id12, id2004, type, response, correct, correct?, weight}] */
  Tracker.prototype.interactions = function (list) {
    if (!this.live) return;
    var v = this.v;
    var base = parseInt(this.get("cmi.interactions._count"), 10) || 0;
    for (var i = 0; i < list.length; i++) {
      var it = list[i], p = "cmi.interactions." + (base + i) + ".";
      var f = formats(v, it);
      this.call("set", p + "id", v === V12 ? it.id12 : it.id2004);
      this.call("set", p + "type", it.type);
      this.call("set", p + "weighting", String(it.weight));
      this.call("set", p + "correct_responses.0.pattern", f[1]);
      if (f[0] !== null) this.call("set", p + v.learner, f[0]);
      this.call("set", p + "result", it.right ? "correct" : v.wrong);
    }
  };

  Tracker.prototype.commit = function () {
    if (this.live) this.call("commit", "");
  };

  /* Session time, exit = suspend, then finish: once only. */
  Tracker.prototype.finish = function () {
    if (!this.live) return;
    this.put(this.v.time, this.v.timespan(Date.now() - this.began));
    this.put(this.v.exit, "suspend");
    this.live = false;
    this.call("finish", "");
  };

  window.CoursepackTracking = {
    /* A started tracker for the runtime ('scorm12', 'scorm2004'), or null: no LMS, no tracking. */
    connect: function (runtime) {
      var v = runtime === "scorm12" ? V12 : runtime === "scorm2004" ? V2004 : null;
      if (!v) return null;
      var api = findAPI(v.api);
      if (!api || typeof api[v.init] !== "function") return null;
      var tracker = new Tracker(v, api);
      var saved = tracker.start();
      return saved ? { tracker: tracker, saved: saved } : null;
    },
    timespan12: timespan12,
    duration2004: duration2004
  };
})();
