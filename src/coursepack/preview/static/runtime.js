/* runtime.js: a SCORM runtime for the preview (window.API for SCORM 1.2, window.API_1484_11 for
 * 2004) that keeps what the package reports and shows it: status, score, resume state against
 * SCORM 1.2's 4,096 characters, location, interactions and every call with its error code.
 * SCORM 1.2 calls are checked as Moodle's scorm_12.js checks them, with Moodle's default of
 * "SCORM standard mode" off (strings up to 64,000 characters): read-only and write-only
 * elements, vocabularies, number formats and ranges, interaction indexes in order, calls outside
 * a session; on LMSFinish a "not attempted" status becomes "completed", and a score becomes
 * "passed" or "failed" against the mastery score. The data lasts for the browser tab, so a
 * reload resumes (cmi.core.entry "resume") as a return to Moodle does. */
(function () {
  "use strict";

  var STRING = /^[\s\S]{0,64000}$/, DECIMAL = /^-?([0-9]{0,3})(\.[0-9]*)?$/;
  var IDENTIFIER = /^[\u0021-\u007E]{0,255}$/, TIMESPAN = /^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$/;
  var TIME = /^([0-2][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]{1,2})?$/;
  var STATUS = /^(passed|completed|failed|incomplete|browsed)$/;
  var STATUS2 = /^(passed|completed|failed|incomplete|browsed|not attempted)$/;
  var TYPE = /^(true-false|choice|fill-in|matching|performance|sequencing|likert|numeric)$/;
  var RESULT = /^(correct|wrong|unanticipated|neutral|([0-9]{0,3})?(\.[0-9]*)?)$/;
  /* [element pattern, access, format, range, error on the wrong access] (scorm_12.js) */
  var MODEL12 = [
    [/^cmi\.(_children|_version|core\._children|core\.score\._children|student_data\._children|student_preference\._children|interactions\._children|interactions\._count|objectives\._children|objectives\._count|interactions\.\d+\.(objectives|correct_responses)\._count)$/, "r", null, null, "402"],
    [/^cmi\.(core\.(student_id|student_name|credit|entry|total_time|lesson_mode)|student_data\.(mastery_score|max_time_allowed|time_limit_action)|launch_data|comments_from_lms)$/, "r", null, null, "403"],
    [/^cmi\.core\.lesson_location$/, "rw", STRING],
    [/^cmi\.core\.lesson_status$/, "rw", STATUS],
    [/^cmi\.core\.score\.(raw|min|max)$/, "rw", DECIMAL, [0, 100]],
    [/^cmi\.core\.exit$/, "w", /^(time-out|suspend|logout|)$/],
    [/^cmi\.core\.session_time$/, "w", TIMESPAN],
    [/^cmi\.(suspend_data|comments)$/, "rw", STRING],
    [/^cmi\.objectives\.\d+\.id$/, "rw", IDENTIFIER],
    [/^cmi\.objectives\.\d+\.score\.(raw|min|max)$/, "rw", DECIMAL, [0, 100]],
    [/^cmi\.objectives\.\d+\.status$/, "rw", STATUS2],
    [/^cmi\.student_preference\.(audio|language|speed|text)$/, "rw", STRING],
    [/^cmi\.interactions\.\d+\.(id|objectives\.\d+\.id)$/, "w", IDENTIFIER],
    [/^cmi\.interactions\.\d+\.time$/, "w", TIME],
    [/^cmi\.interactions\.\d+\.type$/, "w", TYPE],
    [/^cmi\.interactions\.\d+\.(correct_responses\.\d+\.pattern|student_response)$/, "w", STRING],
    [/^cmi\.interactions\.\d+\.weighting$/, "w", DECIMAL, [-100, 100]],
    [/^cmi\.interactions\.\d+\.result$/, "w", RESULT],
    [/^cmi\.interactions\.\d+\.latency$/, "w", TIMESPAN]
  ];
  var MESSAGES = { "0": "No error", "101": "General exception", "201": "Invalid argument error",
    "301": "Not initialized", "401": "Not implemented error", "402": "Invalid set value, element is a keyword",
    "403": "Element is read only", "404": "Element is write only", "405": "Incorrect Data Type",
    "406": "Data Model Element Type Mismatch" };

  var place = null, error = "0", live = false;
  var key = "pv-cmi:" + location.pathname + location.search;
  var cmi = {};
  try { cmi = JSON.parse(sessionStorage.getItem(key) || "{}"); } catch (e) { cmi = {}; }

  function panel() { return place || (place = document.querySelector(".pv-scorm")); }
  function is12() { var p = panel(); return !p || p.dataset.runtime === "scorm12"; }
  function save() { try { sessionStorage.setItem(key, JSON.stringify(cmi)); } catch (e) { /* full */ } }
  function model(name) { for (var i = 0; i < MODEL12.length; i++) if (MODEL12[i][0].test(name)) return MODEL12[i]; return null; }

  /* An interaction or objective index: the next one, or one already set (else 201). */
  function indexed(name) {
    var m = /^cmi\.(interactions|objectives)\.(\d+)\./.exec(name);
    if (!m) return true;
    var count = "cmi." + m[1] + "._count", n = Number(m[2]), have = Number(cmi[count] || 0);
    if (n > have) return false;
    if (n === have) cmi[count] = have + 1;
    return true;
  }

  function get12(name) {
    var d = model(name);
    if (!d) return fail("401");
    if (d[1] === "w") return fail("404");
    if (name === "cmi.core.lesson_status" && !cmi[name]) return ok("not attempted");
    return ok(cmi[name] === undefined ? (/_count$/.test(name) ? "0" : "") : String(cmi[name]));
  }
  function set12(name, value) {
    var d = model(name);
    if (!d) return fail("401");
    if (d[1] === "r") return fail(d[4]);
    if (!d[2].test(value)) return fail("405");
    if (d[3] && (Number(value) < d[3][0] || Number(value) > d[3][1])) return fail("405");
    if (!indexed(name)) return fail("201");
    cmi[name] = value;
    return ok("true");
  }
  function set2004(name, value) {
    if (/suspend_data$/.test(name) && value.length > 64000) return fail("406");
    var m = /^cmi\.interactions\.(\d+)\./.exec(name);
    if (m && !indexed(name)) return fail("351");
    cmi[name] = value;
    return ok("true");
  }
  function ok(v) { error = "0"; return v; }
  function fail(code) { error = code; return null; } /* the call answers "" (get) or "false" */

  function start() {
    if (live) return fail("101") || "false";
    var entry = is12() ? "cmi.core.entry" : "cmi.entry", exit = is12() ? "cmi.core.exit" : "cmi.exit";
    cmi[entry] = !cmi._started ? "ab-initio" : cmi[exit] === "suspend" ? "resume" : "";
    cmi._started = true;
    delete cmi[exit];
    if (is12()) cmi["cmi.student_data.mastery_score"] = panel().dataset.mastery;
    else cmi["cmi.scaled_passing_score"] = String(Number(panel().dataset.mastery) / 100);
    live = true;
    save();
    return ok("true");
  }
  function get(name) {
    if (!live) return fail("301") || "";
    if (is12()) return get12(String(name)) || "";
    if (name === "cmi.completion_status" && !cmi[name]) return ok("unknown");
    return ok(cmi[name] === undefined ? (/_count$/.test(name) ? "0" : "") : String(cmi[name]));
  }
  function set(name, value) {
    if (!live) return fail("301") || "false";
    var r = is12() ? set12(String(name), String(value)) : set2004(String(name), String(value));
    save();
    return r || "false";
  }
  function finish() {
    if (!live) return fail("301") || "false";
    if (is12()) {
      if (!cmi["cmi.core.lesson_status"] || cmi["cmi.core.lesson_status"] === "not attempted") cmi["cmi.core.lesson_status"] = "completed";
      var raw = cmi["cmi.core.score.raw"], mastery = cmi["cmi.student_data.mastery_score"];
      if (raw !== undefined && raw !== "" && mastery !== "") cmi["cmi.core.lesson_status"] = parseFloat(raw) >= parseFloat(mastery) ? "passed" : "failed";
    }
    live = false;
    save();
    return ok("true");
  }
  function commit() { if (!live) return fail("301") || "false"; save(); return ok("true"); }

  function show(name, text, bad) {
    var p = panel(), el = p && p.querySelector('[data-show="' + name + '"]');
    if (el) { el.textContent = text; el.className = bad ? "pv-bad" : ""; }
  }
  function refresh() {
    var p = panel();
    if (!p) return;
    var v12 = is12(), limit = Number(p.dataset.limit);
    show("status", v12 ? (cmi["cmi.core.lesson_status"] || "not attempted")
      : (cmi["cmi.completion_status"] || "unknown") + ", " + (cmi["cmi.success_status"] || "unknown"));
    var raw = cmi[v12 ? "cmi.core.score.raw" : "cmi.score.raw"];
    show("score", raw === undefined || raw === "" ? "none" : raw + " (mastery " + p.dataset.mastery + ")");
    var size = (cmi["cmi.suspend_data"] || "").length;
    show("suspend", size + " of " + limit + " characters" + (size > limit ? ": over the budget" : ""), size > limit);
    show("location", cmi[v12 ? "cmi.core.lesson_location" : "cmi.location"] || "none");
    var n = Number(cmi["cmi.interactions._count"] || 0), list = p.querySelector(".pv-interactions");
    show("interactions", String(n));
    list.innerHTML = "";
    for (var i = 0; i < n; i++) {
      var b = "cmi.interactions." + i + ".", li = document.createElement("li");
      li.textContent = [cmi[b + "id"] || "", cmi[b + "type"] || "", cmi[b + (v12 ? "student_response" : "learner_response")] || "no response", cmi[b + "result"] || ""].join(" · ");
      list.appendChild(li);
    }
  }
  function log(call, args, result) {
    var p = panel(), list = p && p.querySelector(".pv-calls");
    if (!list) return;
    var li = document.createElement("li");
    li.textContent = call + "(" + args.filter(function (x) { return x !== undefined; }).map(function (x) { return JSON.stringify(x); }).join(", ") + ") → " + JSON.stringify(result) + (error !== "0" ? " [error " + error + ": " + (MESSAGES[error] || "") + "]" : "");
    if (error !== "0") li.className = "pv-bad";
    list.appendChild(li);
  }
  function wrap(call, fn) {
    return function () {
      var args = Array.prototype.slice.call(arguments), result = fn.apply(null, args);
      log(call, args, result);
      refresh();
      return result;
    };
  }
  var lastError = function () { return error; };
  var errorString = function (code) { return MESSAGES[code] || ""; };

  window.API = {
    LMSInitialize: wrap("LMSInitialize", start), LMSFinish: wrap("LMSFinish", finish),
    LMSGetValue: wrap("LMSGetValue", get), LMSSetValue: wrap("LMSSetValue", set),
    LMSCommit: wrap("LMSCommit", commit), LMSGetLastError: lastError,
    LMSGetErrorString: errorString, LMSGetDiagnostic: errorString
  };
  window.API_1484_11 = {
    Initialize: wrap("Initialize", start), Terminate: wrap("Terminate", finish),
    GetValue: wrap("GetValue", get), SetValue: wrap("SetValue", set),
    Commit: wrap("Commit", commit), GetLastError: lastError,
    GetErrorString: errorString, GetDiagnostic: errorString
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
