<?php
// A learner's progress in a course as Moodle records it: for each activity its completion state and the
// learner's grade against the grade item's pass and maximum grades. JSON on stdout. Used by
// tests/test_moodle_course_walk.py. Completion states: 0 incomplete, 1 complete, 2 complete with a pass
// grade, 3 complete with a fail grade.
// Usage: MOODLE_HARNESS=... php progress.php COURSEID USERID
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require_once($CFG->libdir . '/completionlib.php');
require_once($CFG->libdir . '/gradelib.php');

$args = harness::args();
[$courseid, $userid] = array_map('intval', $args);
$course = get_course($courseid);
$modinfo = get_fast_modinfo($course, $userid);
$completion = new completion_info($course);

$modules = [];
foreach ($modinfo->get_cms() as $cm) {
    $item = $DB->get_record('grade_items', ['courseid' => $courseid, 'itemtype' => 'mod',
        'itemmodule' => $cm->modname, 'iteminstance' => $cm->instance, 'itemnumber' => 0]);
    $grade = $item ? $DB->get_field('grade_grades', 'finalgrade', ['itemid' => $item->id, 'userid' => $userid]) : null;
    $modules[] = [
        'idnumber' => $cm->idnumber, 'type' => $cm->modname, 'name' => $cm->name,
        'completionstate' => (int)$completion->get_data($cm, false, $userid)->completionstate,
        'grade' => ($grade === null || $grade === false) ? null : (float)$grade,
        'gradepass' => $item ? (float)$item->gradepass : null,
        'grademax' => $item ? (float)$item->grademax : null
    ];
}
// Grades of this learner that someone else set (a teacher grading by hand): none are expected.
$byothers = $DB->count_records_select('grade_grades', 'userid = ? AND usermodified IS NOT NULL AND usermodified <> ?',
    [$userid, $userid]);
echo json_encode(['course' => $courseid, 'user' => $userid, 'modules' => $modules, 'graded_by_others' => $byothers],
    JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRETTY_PRINT), "\n";
