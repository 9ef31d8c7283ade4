/* runtime.js: a SCORM runtime for the preview (window.API for SCORM 1.2, window.API_1484_11 for
 * 2004) that keeps what the package reports and shows it: status, score, resume state against
 * its budget (4,096 characters in SCORM 1.2), location, interactions and every call. As Moodle's
 * scorm_12.js does on LMSFinish, a "not attempted" status becomes "completed", and a score
 * becomes "passed" or "failed" against the mastery score. The data lasts for the browser tab,
 * so a reload resumes (cmi.core.entry "resume") as a return to Moodle does. */
(function () {
  "use strict";

  var place = null;
  var key = "pv-cmi:" + location.pathname + location.search;
  var cmi = {};
  try { cmi = JSON.parse(sessionStorage.getItem(key) || "{}"); } catch (e) { cmi = {}; }

  function panel() {
    if (!place) place = document.querySelector(".pv-scorm");
    return place;
  }
  function runtime() { var p = panel(); return p ? p.dataset.runtime : "scorm12"; }
  function is12() { return runtime() === "scorm12"; }
  function save() { try { sessionStorage.setItem(key, JSON.stringify(cmi)); } catch (e) { /* full */ } }
  function show(name, text, bad) {
    var p = panel(), el = p && p.querySelector('[data-show="' + name + '"]');
    if (el) { el.textContent = text; el.className = bad ? "pv-bad" : ""; }
  }
  function log(call, a, b, result) {
    var p = panel(), list = p && p.querySelector(".pv-calls");
    if (!list) return;
    var li = document.createElement("li");
    li.textContent = call + "(" + [a, b].filter(function (x) { return x !== undefined; }).map(function (x) { return JSON.stringify(x); }).join(", ") + ") → " + JSON.stringify(result);
    list.appendChild(li);
  }

  function refresh() {
    var p = panel();
    if (!p) return;
    var v12 = is12(), limit = Number(p.dataset.limit);
    var status = v12 ? (cmi["cmi.core.lesson_status"] || "not attempted")
      : (cmi["cmi.completion_status"] || "unknown") + ", " + (cmi["cmi.success_status"] || "unknown");
    show("status", status);
    var raw = cmi[v12 ? "cmi.core.score.raw" : "cmi.score.raw"];
    show("score", raw === undefined || raw === "" ? "none" : raw + " (mastery " + p.dataset.mastery + ")");
    var size = (cmi[v12 ? "cmi.suspend_data" : "cmi.suspend_data"] || "").length;
    show("suspend", size + " of " + limit + " characters", size > limit);
    show("location", cmi[v12 ? "cmi.core.lesson_location" : "cmi.location"] || "none");
    var n = Number(cmi["cmi.interactions._count"] || 0), rows = [];
    for (var i = 0; i < n; i++) {
      var b = "cmi.interactions." + i + ".";
      rows.push((cmi[b + "id"] || "") + " · " + (cmi[b + "type"] || "") + " · " +
        (cmi[b + (v12 ? "student_response" : "learner_response")] || "no response") + " · " + (cmi[b + "result"] || ""));
    }
    show("interactions", String(n));
    var list = p.querySelector(".pv-interactions");
    list.innerHTML = "";
    rows.forEach(function (r) { var li = document.createElement("li"); li.textContent = r; list.appendChild(li); });
  }

  var error = "0";
  function start() {
    if (cmi["_started"]) cmi[is12() ? "cmi.core.entry" : "cmi.entry"] = cmi[is12() ? "cmi.core.exit" : "cmi.exit"] === "suspend" ? "resume" : "";
    else cmi[is12() ? "cmi.core.entry" : "cmi.entry"] = "ab-initio";
    cmi["_started"] = true;
    if (is12()) cmi["cmi.student_data.mastery_score"] = panel().dataset.mastery;
    else cmi["cmi.scaled_passing_score"] = String(Number(panel().dataset.mastery) / 100);
    save();
    refresh();
    return "true";
  }
  function get(name) {
    error = "0";
    if (name === "cmi.interactions._count") return String(cmi[name] || 0);
    if (name === "cmi.core.lesson_status" && !cmi[name]) return "not attempted";
    if (name === "cmi.completion_status" && !cmi[name]) return "unknown";
    return cmi[name] === undefined ? "" : String(cmi[name]);
  }
  function set(name, value) {
    value = String(value);
    if (/suspend_data$/.test(name) && value.length > Number(panel().dataset.limit)) {
      error = is12() ? "405" : "407";
      return "false";
    }
    error = "0";
    cmi[name] = value;
    var m = /^cmi\.interactions\.(\d+)\./.exec(name);
    if (m) cmi["cmi.interactions._count"] = Math.max(Number(cmi["cmi.interactions._count"] || 0), Number(m[1]) + 1);
    save();
    refresh();
    return "true";
  }
  function finish() {
    if (is12()) {
      if (get("cmi.core.lesson_status") === "not attempted") cmi["cmi.core.lesson_status"] = "completed";
      var raw = cmi["cmi.core.score.raw"], mastery = cmi["cmi.student_data.mastery_score"];
      if (raw !== undefined && raw !== "" && mastery !== "") cmi["cmi.core.lesson_status"] = parseFloat(raw) >= parseFloat(mastery) ? "passed" : "failed";
    }
    save();
    refresh();
    return "true";
  }
  function wrap(name, fn) {
    return function (a, b) { var r = fn(a, b); log(name, a, b, r); return r; };
  }
  var lastError = function () { return error; };
  var errorString = function (code) { return { "0": "No error", "405": "Incorrect Data Type", "407": "Data Model Element Value Out Of Range" }[code] || "General error"; };
  var commit = function () { save(); refresh(); return "true"; };

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
