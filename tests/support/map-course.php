<?php
// Where a browser test finds a course's pages: each activity's cmid and instance, book chapter and lesson
// page ids, and the question banks (the course context on 4.x, each mod_qbank activity on 5.x) with their
// categories and questions. JSON on stdout. Used by tests/test_moodle_xss.py.
// Usage: MOODLE_HARNESS=... php map-course.php COURSEID [--delete]
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require(__DIR__ . '/probe.php');
require_once($CFG->libdir . '/questionlib.php');

$args = harness::args();
$courseid = (int)$args[0];
$course = get_course($courseid);
$modinfo = get_fast_modinfo($course);

function map_bank(context $context, ?int $cmid): array {
    global $DB;
    $categories = [];
    foreach ($DB->get_records('question_categories', ['contextid' => $context->id], 'parent, sortorder, id') as $cat) {
        $questions = $DB->get_records_sql("
            SELECT q.id, q.name, q.qtype, qbe.idnumber
              FROM {question} q
              JOIN {question_versions} qv ON qv.questionid = q.id
              JOIN {question_bank_entries} qbe ON qbe.id = qv.questionbankentryid
             WHERE qbe.questioncategoryid = ? AND q.parent = 0
               AND qv.version = (SELECT MAX(v.version) FROM {question_versions} v
                                  WHERE v.questionbankentryid = qbe.id)
          ORDER BY q.id", [$cat->id]);
        $categories[] = ['id' => (int)$cat->id, 'name' => $cat->name, 'parent' => (int)$cat->parent,
            'questions' => array_values(array_map(fn($q) => ['id' => (int)$q->id, 'name' => $q->name,
                'qtype' => $q->qtype, 'idnumber' => $q->idnumber], $questions))];
    }
    return ['contextid' => (int)$context->id, 'cmid' => $cmid, 'categories' => $categories];
}

$modules = [];
foreach ($modinfo->get_cms() as $cm) {
    $entry = ['type' => $cm->modname, 'cmid' => (int)$cm->id, 'instance' => (int)$cm->instance,
        'name' => $cm->name, 'section' => (int)$cm->sectionnum];
    if ($cm->modname === 'book') {
        $entry['chapters'] = array_values(array_map(fn($c) => ['id' => (int)$c->id, 'title' => $c->title],
            $DB->get_records('book_chapters', ['bookid' => $cm->instance], 'pagenum', 'id, pagenum, title')));
    } else if ($cm->modname === 'lesson') {
        $entry['pages'] = array_values(array_map(fn($p) => ['id' => (int)$p->id, 'title' => $p->title,
            'qtype' => (int)$p->qtype], $DB->get_records('lesson_pages', ['lessonid' => $cm->instance], 'id',
            'id, title, qtype')));
    } else if ($cm->modname === 'quiz') {
        $entry['slots'] = (int)$DB->count_records('quiz_slots', ['quizid' => $cm->instance]);
    } else if ($cm->modname === 'glossary') {
        $entry['entries'] = array_values($DB->get_fieldset_select('glossary_entries', 'concept',
            'glossaryid = ? ORDER BY id', [$cm->instance]));
    }
    $modules[] = $entry;
}

$banks = [];
if (!harness::has_qbank_module()) {
    $banks[] = map_bank(context_course::instance($courseid), null);
}
foreach ($modinfo->get_instances_of('qbank') as $cm) {
    $banks[] = map_bank(context_module::instance($cm->id), (int)$cm->id);
}
probe_finish($courseid, ['course' => ['id' => (int)$course->id, 'fullname' => $course->fullname,
    'shortname' => $course->shortname], 'modules' => $modules, 'question_banks' => $banks]);
