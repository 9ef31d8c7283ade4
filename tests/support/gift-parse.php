<?php
// What Moodle's own GIFT reader (qformat_gift::readquestions, with the question types' GIFT readers it
// tries first) makes of each file, as JSON: nothing is saved. Reads a JSON list of file paths on stdin.
// Used by coursepack's tests/test_moodle_gift_reader.py. Usage: MOODLE_HARNESS=... php gift-parse.php < list.json
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require_once($CFG->libdir . '/questionlib.php');
require_once($CFG->dirroot . '/question/format.php');
require_once($CFG->dirroot . '/question/format/gift/format.php');

$readdata = new ReflectionMethod('qformat_gift', 'readdata');
$readquestions = new ReflectionMethod('qformat_gift', 'readquestions');

function gift_text($value) {
    return is_array($value) ? [(string)$value['text'], (int)$value['format']] : $value;
}

function gift_question($q): array {
    if ($q->qtype == 'category') {
        return ['qtype' => 'category', 'category' => $q->category];
    }
    $out = ['qtype' => $q->qtype, 'name' => $q->name, 'text' => [$q->questiontext, (int)$q->questiontextformat],
        'general' => [$q->generalfeedback, (int)$q->generalfeedbackformat], 'idnumber' => $q->idnumber,
        'tags' => $q->tags];
    foreach (['answer', 'fraction', 'feedback', 'tolerance', 'subquestions', 'subanswers'] as $field) {
        if (isset($q->$field)) {
            $out[$field] = array_values(array_map('gift_text', $q->$field));
        }
    }
    foreach (['single', 'correctanswer', 'layouttype', 'selecttype', 'selectcount', 'gradingtype', 'showgrading',
            'numberingstyle'] as $field) {
        if (isset($q->$field)) {
            $out[$field] = $q->$field;
        }
    }
    foreach (['feedbacktrue', 'feedbackfalse'] as $field) {
        if (isset($q->$field)) {
            $out[$field] = gift_text($q->$field);
        }
    }
    return $out;
}

$all = [];
foreach (json_decode(file_get_contents('php://stdin'), true) as $path) {
    $format = new qformat_gift();
    $result = ['questions' => [], 'errors' => 0, 'exception' => null];
    ob_start();
    try {
        $lines = $readdata->invoke($format, $path);
        foreach ($readquestions->invoke($format, $lines ?: []) as $q) {
            $result['questions'][] = gift_question($q);
        }
    } catch (Throwable $e) {
        $result['exception'] = get_class($e) . ': ' . $e->getMessage();
    }
    $result['errors'] = substr_count(ob_get_clean(), 'class="importerror"');
    $all[] = $result;
}
echo json_encode($all, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
