<?php
// Dump what Moodle tracked for the admin in every SCORM activity of a course: each SCO's
// cmi elements, and the gradebook grade. Used by tests/test_moodle_scorm_play.py.
// Usage: MOODLE_HARNESS=... php dump-scorm.php COURSEID [--delete]
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require(__DIR__ . '/probe.php');
require_once($CFG->dirroot . '/mod/scorm/locallib.php');
require_once($CFG->libdir . '/gradelib.php');

$args = harness::args();
$courseid = (int)$args[0];
$admin = get_admin();
$result = [];
foreach ($DB->get_records('scorm', ['course' => $courseid], 'id') as $scorm) {
    $entry = ['version' => $scorm->version, 'masteryoverride' => (int)$scorm->masteryoverride,
              'tracks' => []];
    foreach ($DB->get_records('scorm_scoes', ['scorm' => $scorm->id, 'scormtype' => 'sco']) as $sco) {
        $tracks = scorm_get_tracks($sco->id, $admin->id);
        $values = [];
        if ($tracks) {
            foreach ((array)$tracks as $key => $value) {
                if (str_starts_with($key, 'cmi.') && !str_starts_with($key, 'cmi.interactions')) {
                    $values[$key] = $value;
                }
            }
            $values['status'] = $tracks->status ?? null;
            $values['score_raw'] = $tracks->score_raw ?? null;
            $interactions = 0;
            foreach ((array)$tracks as $key => $value) {
                if (preg_match('/^cmi\.interactions[._](\d+)\.id$/', $key)) {
                    $interactions++;
                }
            }
            $values['interaction_count'] = $interactions;
        }
        $entry['tracks'][$sco->identifier] = $values;
    }
    $grades = grade_get_grades($courseid, 'mod', 'scorm', $scorm->id, $admin->id);
    $item = $grades->items[0] ?? null;
    $entry['grade'] = $item ? ($item->grades[$admin->id]->grade ?? null) : null;
    $entry['gradepass'] = $item ? $item->gradepass : null;
    $result[$scorm->name] = $entry;
}
probe_finish($courseid, $result);
