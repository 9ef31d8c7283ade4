<?php
// Dump every question in a course's question bank as Moodle itself loaded it, as JSON keyed by idnumber.
// Used by the coursepack tests after ../shared/moodle/bin/import-questions.php FILE FMT --keep.
// Usage: MOODLE_HARNESS=... php dump-questions.php COURSEID [--delete]
// Bootstraps through the checker kit's harness.php (found beside this project as ../shared/moodle/bin).
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require(__DIR__ . '/probe.php');
require_once($CFG->libdir . '/questionlib.php');

$args = harness::args();
$courseid = (int)$args[0];
$course = get_course($courseid);
$contexts = [context_course::instance($courseid)->id];
foreach (get_fast_modinfo($course)->get_instances_of('qbank') as $cm) {
    $contexts[] = context_module::instance($cm->id)->id;
}
[$insql, $params] = $DB->get_in_or_equal($contexts);
$rows = $DB->get_records_sql("
    SELECT q.id, qbe.idnumber, qc.name AS category
      FROM {question} q
      JOIN {question_versions} qv ON qv.questionid = q.id
      JOIN {question_bank_entries} qbe ON qbe.id = qv.questionbankentryid
      JOIN {question_categories} qc ON qc.id = qbe.questioncategoryid
     WHERE qc.contextid $insql AND q.parent = 0
  ORDER BY q.id", $params);

function clean_value($value) {
    static $drop = ['id', 'question', 'questionid', 'timecreated', 'timemodified', 'createdby',
        'modifiedby', 'stamp', 'version', 'versionid', 'questionbankentryid', 'contextid',
        'category', 'parent', 'usageid', 'slot', 'hidden', 'status', 'length', 'contextlevel',
        'categoryobject', 'createdbyuser', 'modifiedbyuser', 'itemid', 'questionid', 'questiontextformat_', 'sequence'];
    if (is_object($value)) {
        $value = (array)$value;
    }
    if (!is_array($value)) {
        return $value;
    }
    $out = [];
    foreach ($value as $k => $v) {
        if (is_string($k) && in_array($k, $drop, true)) {
            continue;
        }
        $out[$k] = clean_value($v);
    }
    return $out;
}

/**
 * Every file Moodle stored for a question, as [component, filearea, item, filename, contenthash]:
 * item is "question", or "answer:N", "hint:N", "subquestion:N" (N counts from 0 in id order).
 */
function question_files($data, $hints) {
    global $DB;
    $roles = [$data->id => 'question'];
    $n = 0;
    foreach ($DB->get_records('question_answers', ['question' => $data->id], 'id') as $answer) {
        $roles[$answer->id] = 'answer:' . $n++;
    }
    $n = 0;
    foreach ($DB->get_records('question_hints', ['questionid' => $data->id], 'id') as $hint) {
        $roles[$hint->id] = 'hint:' . $n++;
    }
    $n = 0;
    if ($data->qtype === 'match') {
        foreach ($DB->get_records('qtype_match_subquestions', ['questionid' => $data->id], 'id') as $sub) {
            $roles[$sub->id] = 'subquestion:' . $n++;
        }
    }
    $contextid = $DB->get_field('question_categories', 'contextid', ['id' => $data->category]);
    $found = [];
    foreach ($DB->get_records('files', ['contextid' => $contextid], 'id') as $file) {
        $item = ['answer' => 'answer:', 'answerfeedback' => 'answer:', 'hint' => 'hint:',
                 'subquestion' => 'subquestion:'][$file->filearea] ?? 'question';
        if ($file->filename === '.' || !isset($roles[$file->itemid])
                || strpos($roles[$file->itemid], rtrim($item, ':')) !== 0) {
            continue;
        }
        $found[] = [$file->component, $file->filearea, $roles[$file->itemid], $file->filename,
                    $file->contenthash];
    }
    sort($found);
    return $found;
}

$result = [];
foreach ($rows as $row) {
    $data = question_bank::load_question_data($row->id);
    $entry = clean_value($data);
    $entry['category_name'] = $row->category;
    $entry['tags'] = array_values(core_tag_tag::get_item_tags_array('core_question', 'question', $row->id));
    $entry['hints'] = array_values(clean_value($DB->get_records('question_hints', ['questionid' => $row->id], 'id')));
    if ($data->qtype === 'multianswer') {
        $subs = [];
        foreach ($data->options->questions as $key => $sub) {
            $subs[$key] = clean_value($sub);
        }
        $entry['subquestions'] = $subs;
    }
    $entry['files'] = question_files($data, $entry['hints']);
    $result[$row->idnumber ?? ('#' . $row->id)] = $entry;
}
probe_finish($courseid, $result);
