/* A small LMS for the browser tests: npm scorm-again as the SCORM 1.2 or 2004 API, strict,
 * every call recorded, the other version's API a trap, and 1.2 suspend_data held to 4,096. */
"use strict";

var NAMES = {
  scorm12: ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
            "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
  scorm2004: ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError",
              "GetErrorString", "GetDiagnostic"]
};
var GLOBAL = { scorm12: "API", scorm2004: "API_1484_11" };
var SUSPEND_LIMIT_12 = 4096;

window.lms = { calls: [], violations: [], log: [], api: null, runtime: null };

function settings() {
  return {
    autocommit: false,
    lmsCommitUrl: false,
    logLevel: 4,
    strict_errors: true,
    mastery_override: false,
    autoCompleteLessonStatus: false,
    onLogMessage: function (level, message) {
      lms.log.push([level, message]);
      if (level >= 4 || level === "ERROR") console.error("scorm-again: " + message);
    }
  };
}

/* Spy on every API function; refuse a 1.2 suspend_data longer than 4,096 characters. */
function spy(api, runtime) {
  NAMES[runtime].forEach(function (name) {
    var real = api[name].bind(api);
    api[name] = function (a, b) {
      if (runtime === "scorm12" && name === "LMSSetValue" && a === "cmi.suspend_data" &&
          String(b).length > SUSPEND_LIMIT_12) {
        lms.violations.push("suspend_data of " + String(b).length + " characters");
        lms.calls.push([name, a, b, "false"]);
        return "false";
      }
      var result = real(a, b);
      lms.calls.push([name, a, b, result]);
      return result;
    };
  });
}

/* The other version's API: any call to it is a violation. */
function trap(runtime) {
  var other = runtime === "scorm12" ? "scorm2004" : "scorm12";
  var api = {};
  NAMES[other].forEach(function (name) {
    api[name] = function () {
      lms.violations.push(other + " call " + name + " in a " + runtime + " session");
      return "false";
    };
  });
  window[GLOBAL[other]] = api;
}

/* The saved CMI of a previous session, as an LMS hands it to the next: entry from exit. */
function carry(api, runtime, saved) {
  var cmi = JSON.parse(JSON.stringify(saved.cmi || saved));
  var exit;
  if (runtime === "scorm12") {
    exit = cmi.core.exit;
    delete cmi.core.exit;
    delete cmi.core.session_time;
    delete cmi.core.entry;
    api.loadFromJSON({ cmi: cmi });
    api.cmi.core.entry = exit === "suspend" ? "resume" : "";
  } else {
    exit = cmi.exit;
    delete cmi.exit;
    delete cmi.session_time;
    delete cmi.entry;
    api.loadFromJSON({ cmi: cmi });
    api.cmi.entry = api.determineEntryValue(exit, Boolean(cmi.suspend_data));
  }
}

/* Start a session: options {runtime, sco, saved (a previous cmi), mastery}. */
window.launch = function (options) {
  var runtime = options.runtime;
  var api = runtime === "scorm12" ? new Scorm12API(settings()) : new Scorm2004API(settings());
  if (options.saved) carry(api, runtime, options.saved);
  if (options.mastery !== undefined && options.mastery !== null) {
    if (runtime === "scorm12") api.cmi.student_data.mastery_score = String(options.mastery);
    else api.cmi.scaled_passing_score = String(options.mastery / 100);
  }
  spy(api, runtime);
  trap(runtime);
  window[GLOBAL[runtime]] = api;
  lms.api = api;
  lms.runtime = runtime;
  var frame = document.createElement("iframe");
  frame.id = "sco";
  frame.title = "Revision module";
  frame.width = "1000";
  frame.height = "800";
  frame.src = options.sco;
  document.getElementById("player").appendChild(frame);
};

/* The learner leaves: the SCO's document is unloaded, as when the LMS player closes it. */
window.leave = function () {
  var frame = document.getElementById("sco");
  if (frame) frame.remove();
};

window.snapshot = function () {
  return JSON.parse(JSON.stringify(lms.api.renderCMIToJSONObject()));
};
