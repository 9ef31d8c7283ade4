<?php
// Dump what a restored course holds, as Moodle stored it: sections, activities with their completion rules,
// book chapters, glossary entries, lesson pages (in linked order, jumps resolved), quiz slots, SCORM scoes and
// files, the gradebook, course completion and the course's filters. JSON on stdout.
// Used by the coursepack tests after ../shared/moodle/bin/restore.php FILE.mbz --keep.
// Usage: MOODLE_HARNESS=... php dump-course.php COURSEID [--delete]
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require(__DIR__ . '/probe.php');
require_once($CFG->libdir . '/gradelib.php');

$args = harness::args();
$courseid = (int)$args[0];
$course = get_course($courseid);
$modinfo = get_fast_modinfo($course);

function rows(string $table, array $where, string $sort, string $fields = '*'): array {
    global $DB;
    return array_values(array_map(fn($r) => (array)$r, $DB->get_records($table, $where, $sort, $fields)));
}

function pick(object $record, array $names): array {
    $out = [];
    foreach ($names as $name) {
        $out[$name] = $record->$name;
    }
    return $out;
}

function book_dump(cm_info $cm): array {
    return ['chapters' => rows('book_chapters', ['bookid' => $cm->instance], 'pagenum',
        'pagenum, subchapter, title, content, contentformat, hidden')];
}

// A link to an entry of this glossary, in this course, becomes "#entry:N" (N: the entry's place by id);
// any other glossary link stays as restored, so a wrong course or entry shows in the comparison.
function entry_links(string $html, int $courseid, array $places): string {
    global $CFG;
    $pattern = '~' . preg_quote($CFG->wwwroot, '~') . '/mod/glossary/showentry\.php\?courseid=(\d+)&(?:amp;)?eid=(\d+)~';
    return preg_replace_callback($pattern, function ($m) use ($courseid, $places) {
        return ((int)$m[1] === $courseid && isset($places[(int)$m[2]])) ? '#entry:' . $places[(int)$m[2]] : $m[0];
    }, $html);
}

function glossary_dump(cm_info $cm): array {
    global $DB;
    $glossary = $DB->get_record('glossary', ['id' => $cm->instance]);
    $entries = [];
    $records = $DB->get_records('glossary_entries', ['glossaryid' => $cm->instance], 'id');
    $places = [];
    foreach (array_keys($records) as $n => $id) {
        $places[(int)$id] = $n + 1;
    }
    foreach ($records as $e) {
        $e->definition = entry_links($e->definition, (int)$cm->course, $places);
        $entries[] = pick($e, ['concept', 'definition', 'definitionformat', 'usedynalink', 'casesensitive', 'timemodified',
                'fullmatch', 'approved', 'teacherentry']) + [
            'author' => $DB->get_field('user', 'username', ['id' => $e->userid]),
            'aliases' => $DB->get_fieldset_select('glossary_alias', 'alias', 'entryid = ? ORDER BY id', [$e->id]),
            'categories' => $DB->get_fieldset_sql('SELECT c.name FROM {glossary_categories} c
                JOIN {glossary_entries_categories} ec ON ec.categoryid = c.id WHERE ec.entryid = ? ORDER BY c.name',
                [$e->id]),
        ];
    }
    $context = context_module::instance($cm->id);
    $student = $DB->get_record('role', ['shortname' => 'student']);
    $overrides = $DB->get_records_menu('role_capabilities',
        ['contextid' => $context->id, 'roleid' => $student->id], 'capability', 'capability, permission');
    return pick($glossary, ['displayformat', 'usedynalink', 'mainglossary', 'defaultapproval']) +
        ['entries' => $entries, 'student_overrides' => $overrides];
}

function lesson_jump(int $jump, array $titles): string|int {
    return $jump > 0 ? ($titles[$jump] ?? "missing page $jump") : $jump;
}

function lesson_dump(cm_info $cm): array {
    global $DB;
    $lesson = $DB->get_record('lesson', ['id' => $cm->instance]);
    $pages = $DB->get_records('lesson_pages', ['lessonid' => $lesson->id]);
    $titles = array_map(fn($p) => $p->title, $pages);
    $ordered = [];
    $page = array_values(array_filter($pages, fn($p) => (int)$p->prevpageid === 0))[0] ?? null;
    while ($page && count($ordered) <= count($pages)) {
        $answers = [];
        foreach ($DB->get_records('lesson_answers', ['pageid' => $page->id], 'id') as $a) {
            $answers[] = pick($a, ['answer', 'answerformat', 'response', 'responseformat', 'score']) +
                ['jumpto' => lesson_jump((int)$a->jumpto, $titles)];
        }
        $ordered[] = pick($page, ['title', 'qtype', 'qoption', 'layout', 'display', 'contents']) +
            ['answers' => $answers];
        $page = $page->nextpageid ? ($pages[$page->nextpageid] ?? null) : null;
    }
    return pick($lesson, ['grade', 'custom', 'maxattempts', 'retake', 'completionendreached',
            'progressbar', 'displayleft']) + ['page_count' => count($pages), 'pages' => $ordered];
}

function quiz_dump(cm_info $cm): array {
    global $DB;
    $quiz = $DB->get_record('quiz', ['id' => $cm->instance]);
    $slots = $DB->get_records_sql("
        SELECT qs.slot, qs.page, qs.maxmark, qbe.idnumber, qr.version
          FROM {quiz_slots} qs
          JOIN {question_references} qr ON qr.itemid = qs.id AND qr.component = 'mod_quiz'
               AND qr.questionarea = 'slot'
          JOIN {question_bank_entries} qbe ON qbe.id = qr.questionbankentryid
         WHERE qs.quizid = ? ORDER BY qs.slot", [$quiz->id]);
    return pick($quiz, ['grade', 'sumgrades', 'attempts', 'grademethod', 'preferredbehaviour',
            'reviewattempt', 'reviewrightanswer', 'reviewgeneralfeedback', 'reviewoverallfeedback',
            'completionattemptsexhausted', 'questionsperpage']) +
        ['slots' => array_values(array_map(fn($s) => (array)$s, $slots)),
         'feedbacks' => rows('quiz_feedback', ['quizid' => $quiz->id], 'mingrade', 'mingrade, maxgrade, feedbacktext')];
}

function scorm_dump(cm_info $cm): array {
    global $DB;
    $scorm = $DB->get_record('scorm', ['id' => $cm->instance]);
    $scoes = [];
    foreach ($DB->get_records('scorm_scoes', ['scorm' => $scorm->id], 'sortorder') as $sco) {
        $scoes[] = pick($sco, ['identifier', 'parent', 'organization', 'launch', 'scormtype', 'title']) + [
            'data' => $DB->get_records_menu('scorm_scoes_data', ['scoid' => $sco->id], 'id', 'name, value')];
    }
    $fs = get_file_storage();
    $ctx = context_module::instance($cm->id);
    $files = fn($area) => array_values(array_map(fn($f) => ltrim($f->get_filepath(), '/') . $f->get_filename(),
        $fs->get_area_files($ctx->id, 'mod_scorm', $area, 0, 'filepath, filename', false)));
    $package = $fs->get_area_files($ctx->id, 'mod_scorm', 'package', 0, 'id', false);
    return pick($scorm, ['version', 'reference', 'maxgrade', 'grademethod', 'whatgrade', 'sha1hash',
            'completionstatusrequired', 'completionscorerequired']) + [
        'launch' => $DB->get_field('scorm_scoes', 'identifier', ['id' => $scorm->launch]),
        'scoes' => $scoes, 'content' => $files('content'), 'package' => $files('package'),
        'package_hash' => $package ? reset($package)->get_contenthash() : null];
}

$dumpers = ['book' => 'book_dump', 'glossary' => 'glossary_dump', 'lesson' => 'lesson_dump',
    'quiz' => 'quiz_dump', 'scorm' => 'scorm_dump'];
$sections = [];
foreach ($modinfo->get_section_info_all() as $section) {
    $modules = [];
    foreach ($modinfo->sections[$section->section] ?? [] as $cmid) {
        $cm = $modinfo->get_cm($cmid);
        if ($cm->modname === 'qbank') {
            continue;
        }
        $modules[] = ['type' => $cm->modname, 'name' => $cm->name, 'idnumber' => $cm->idnumber,
            'completion' => (int)$cm->completion, 'completionview' => (int)$cm->completionview,
            'completiongradeitemnumber' => $cm->completiongradeitemnumber,
            'completionpassgrade' => (int)$cm->completionpassgrade] +
            (isset($dumpers[$cm->modname]) ? $dumpers[$cm->modname]($cm) : []);
    }
    $sections[] = ['number' => (int)$section->section, 'name' => $section->name, 'summary' => $section->summary,
        'modules' => $modules];
}

$categories = [];
foreach (grade_category::fetch_all(['courseid' => $courseid]) as $cat) {
    $categories[$cat->id] = $cat->is_course_category() ? '(course)' : $cat->fullname;
}
$items = [];
foreach (grade_item::fetch_all(['courseid' => $courseid]) ?: [] as $item) {
    $items[] = ['itemtype' => $item->itemtype, 'itemmodule' => $item->itemmodule,
        'itemname' => $item->itemname, 'idnumber' => $item->idnumber, 'grademax' => (float)$item->grademax,
        'gradepass' => (float)$item->gradepass,
        'category' => $item->categoryid ? $categories[$item->categoryid] : null];
}
usort($items, fn($a, $b) => strcmp($a['itemtype'] . $a['idnumber'], $b['itemtype'] . $b['idnumber']));

$criteria = [];
foreach ($DB->get_records('course_completion_criteria', ['course' => $courseid], 'id') as $c) {
    $criteria[] = ['criteriatype' => (int)$c->criteriatype, 'module' => $c->module,
        'idnumber' => $c->moduleinstance ? $DB->get_field('course_modules', 'idnumber', ['id' => $c->moduleinstance]) : null];
}
$coursectx = context_course::instance($courseid);
$result = [
    'course' => pick($course, ['fullname', 'shortname', 'summary', 'format', 'enablecompletion', 'startdate']),
    'sections' => $sections,
    'grade_categories' => array_values($categories),
    'grade_items' => $items,
    'completion_criteria' => $criteria,
    'completion_aggregation' => rows('course_completion_aggr_methd', ['course' => $courseid], 'id',
        'id, criteriatype, method'),
    'filters' => $DB->get_records_menu('filter_active', ['contextid' => $coursectx->id], 'filter', 'filter, active'),
    'glossary_filter_available' => filter_is_enabled('glossary'),
];
probe_finish($courseid, $result);
