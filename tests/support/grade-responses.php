<?php
// What Moodle's question engine makes of learners' responses: each question of a Moodle XML file is
// imported (qformat_xml, as the import page does) into a temporary category of a fresh course's question
// bank, then each response is submitted to it as the engine submits a form: the values are cleaned by the
// question's expected data (get_submitted_data), the question is started (start_attempt: a multiple-choice
// gap's order, a number's separators), and graded: grade_response, get_validation_error and
// is_complete_response, plus the fraction the deferred-feedback behaviour records when the attempt is
// finished. The course, and the category and questions in it, are deleted at the end.
// Used by coursepack's tests/test_moodle_preview_marking.py and tests/test_moodle_quiz_marking.py.
//
// Usage: MOODLE_HARNESS=... php grade-responses.php QUESTIONS.xml RESPONSES.json [--keep]
// RESPONSES.json: [{"idnumber": "q1", "response": {"sub1_answer": "Paris", "sub2_answer": "0"}}, ...]
// Names are the question's qt vars (a cloze: 'subN_answer', N counting its gaps from 1). A multiple-choice
// gap's value is the index of the choice in the order the attempt shows (with no shuffle, the order of
// the answers as written); the output lists each gap's choices in that order.
// A response may also name choices by their text, in 'pick' (see probe_pick), for the question types whose
// attempt shuffles them (multiple choice, matching, gap select, drag and drop into text, ordering): each is
// turned into the field values of the attempt the response is graded in.
// stdout: the kit's JSON summary with 'questions' (idnumber => gaps) and 'grades' (one per response).
$startdir = getcwd(); // Moodle's setup changes the working folder: file names are relative to this one.
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require_once($CFG->libdir . '/questionlib.php');
require_once($CFG->dirroot . '/question/format.php');
require_once($CFG->dirroot . '/question/format/xml/format.php');
require_once($CFG->dirroot . '/question/engine/lib.php');

$args = harness::args();
if (count($args) < 2) {
    harness::usage('Usage: php grade-responses.php QUESTIONS.xml RESPONSES.json [--keep]');
}
[$xmlpath, $responsespath] = array_map(fn($path) => $path[0] === '/' ? $path : "$startdir/$path", $args);
harness::start('grade-responses');
$ok = false;

/** A fresh category in the course's question bank, for this run only. */
function probe_category(stdClass $course): stdClass {
    global $DB;
    $bank = harness::question_bank_for_import($course);
    $top = question_get_top_category($bank['context']->id, true);
    $category = (object)['name' => 'coursepack grade probe ' . random_string(6), 'info' => '',
        'infoformat' => FORMAT_HTML, 'contextid' => $bank['context']->id, 'parent' => $top->id,
        'sortorder' => 999, 'stamp' => make_unique_id_code(), 'idnumber' => null];
    $category->id = $DB->insert_record('question_categories', $category);
    $category->context = $bank['context'];
    return $category;
}

/** Import the XML file into the category; the imported questions' ids by idnumber. */
function probe_import(string $path, stdClass $course, stdClass $category): array {
    global $DB;
    $format = new qformat_xml();
    $file = make_request_directory() . '/' . basename($path);
    copy($path, $file);
    $format->setCategory($category);
    $format->setContexts([$category->context]);
    $format->setCourse($course);
    $format->setFilename($file);
    $format->setRealfilename(basename($path));
    $format->setMatchgrades('error');
    $format->setCatfromfile(false);
    $format->setContextfromfile(false);
    $format->setStoponerror(true);
    foreach (['importpreprocess', 'importprocess', 'importpostprocess'] as $stage) {
        if (!$format->$stage()) {
            throw new moodle_exception('cannotimport');
        }
    }
    $rows = $DB->get_records_sql('
        SELECT qv.questionid, qbe.idnumber
          FROM {question_bank_entries} qbe
          JOIN {question_versions} qv ON qv.questionbankentryid = qbe.id
         WHERE qbe.questioncategoryid = ?', [$category->id]);
    $ids = [];
    foreach ($rows as $row) {
        $ids[(string)$row->idnumber] = (int)$row->questionid;
    }
    return $ids;
}

/** A question's gaps as the attempt shows them: type, weight, and a choice gap's choices in order. */
function probe_gaps(question_definition $q, question_attempt $qa): array {
    $gaps = [];
    foreach ($q->subquestions ?? [] as $i => $sub) {
        $gap = ['type' => $sub->qtype->name(), 'mark' => (float)$sub->defaultmark];
        if ($gap['type'] === 'multichoice') {
            $gap['layout'] = (int)$sub->layout;
            $gap['choices'] = [];
            foreach ($sub->get_order($qa) as $answerid) {
                $gap['choices'][] = html_to_text($sub->answers[$answerid]->answer, 0, false);
            }
        }
        $gaps['sub' . $i] = $gap;
    }
    return $gaps;
}

/** The key of the one entry of $texts that is $want, or an exception. */
function probe_find(array $texts, string $want, string $what): int|string {
    $keys = array_keys($texts, $want, true);
    if (count($keys) !== 1) {
        throw new harness_failure("pick: " . count($keys) . " $what named '$want' among: " . implode(' | ', $texts));
    }
    return $keys[0];
}

/**
 * The form fields for choices named by their text, as the started attempt numbers them ($pick's keys):
 * 'answer' (one choice of a multiple-choice question, or null for none), 'choices' (the chosen texts of a
 * multiple-answer one), 'stems' (a matching question's stem text => choice text or null), 'places' (a gap
 * question's choice text or null per gap, gap 1 first), 'order' (an ordering question's items, top first).
 */
function probe_pick(question_definition $q, question_attempt $qa, array $pick): array {
    $text = fn(string $html): string => trim(html_to_text($html, 0, false));
    $out = [];
    if (array_key_exists('answer', $pick) || array_key_exists('choices', $pick)) {
        $texts = array_map(fn($id) => $text($q->answers[$id]->answer), $q->get_order($qa));
        if (array_key_exists('choices', $pick)) {
            foreach ($pick['choices'] as $want) {
                probe_find($texts, $want, 'choices');
            }
            foreach ($texts as $k => $t) {
                $out['choice' . $k] = in_array($t, $pick['choices'], true) ? '1' : '0';
            }
        } else if ($pick['answer'] !== null) {
            $out['answer'] = (string)probe_find($texts, $pick['answer'], 'answers');
        }
    }
    if (array_key_exists('stems', $pick)) {
        $choices = array_map(fn($id) => $text($q->choices[$id]), $q->get_choice_order());
        foreach ($q->get_stem_order() as $k => $stemid) {
            $stem = $text($q->stems[$stemid]);
            if (!array_key_exists($stem, $pick['stems'])) {
                throw new harness_failure("pick: no stem '$stem' in the response");
            }
            $want = $pick['stems'][$stem];
            $out['sub' . $k] = $want === null ? '0' : (string)probe_find($choices, $want, 'choices');
        }
    }
    if (array_key_exists('places', $pick)) {
        foreach ($q->places as $place => $group) {
            $want = $pick['places'][$place - 1];
            $texts = array_map(fn($choice) => $text($choice->text), $q->get_ordered_choices($group));
            $out[$q->field($place)] = $want === null ? '0' : (string)probe_find($texts, $want, 'choices');
        }
    }
    if (array_key_exists('order', $pick)) {
        $keys = [];
        foreach ($q->answers as $answer) {
            $keys[$text($answer->answer)] = $answer->md5key;
        }
        $out[$q->get_response_fieldname()] = implode(',', array_map(
            fn($item) => $keys[$item] ?? throw new harness_failure("pick: no item '$item'"), $pick['order']));
    }
    return $out;
}

/** One response, graded as the engine grades it; $pick names choices by text (probe_pick). */
function probe_grade(question_definition $question, array $response, context $context, array $pick = []): array {
    $quba = question_engine::make_questions_usage_by_activity('core_question_preview', $context);
    $quba->set_preferred_behaviour('deferredfeedback');
    $slot = $quba->add_question($question, 1);
    $quba->start_question($slot, 1);
    $prefix = $quba->get_field_prefix($slot);
    if ($pick) {
        $response += probe_pick($quba->get_question($slot), $quba->get_question_attempt($slot), $pick);
    }
    $post = [];
    foreach ($response as $name => $value) {
        $post[$prefix . $name] = (string)$value;
    }
    $submitted = $quba->extract_responses($slot, $post);
    $q = $quba->get_question($slot);
    [$fraction, $state] = $q->grade_response($submitted);
    $out = ['submitted' => $submitted, 'fraction' => $fraction === null ? null : (float)$fraction,
        'state' => (string)$state, 'validation_error' => (string)$q->get_validation_error($submitted),
        'complete' => (bool)$q->is_complete_response($submitted),
        'gradable' => (bool)$q->is_gradable_response($submitted)];
    if (!empty($q->subquestions)) {
        $out['gaps'] = [];
        foreach ($q->subquestions as $i => $sub) {
            $adapter = new question_attempt_step_subquestion_adapter(new question_attempt_step(), 'sub' . $i . '_');
            $subresponse = $adapter->filter_array($submitted);
            $gradable = $sub->is_gradable_response($subresponse);
            $out['gaps']['sub' . $i] = ['fraction' => $gradable ? (float)$sub->grade_response($subresponse)[0] : null,
                'validation_error' => (string)$sub->get_validation_error($subresponse)];
        }
    }
    $quba->process_action($slot, $submitted);
    $quba->finish_question($slot);
    $final = $quba->get_question_fraction($slot);
    $out['finished_fraction'] = $final === null ? null : (float)$final;
    $out['finished_state'] = (string)$quba->get_question_state($slot);
    return $out;
}

try {
    $responses = json_decode(file_get_contents($responsespath), true, 512, JSON_THROW_ON_ERROR);
    $course = harness::create_course();
    $category = probe_category($course);
    $ids = probe_import($xmlpath, $course, $category);
    harness::$result['questions'] = [];
    harness::$result['grades'] = [];
    foreach ($responses as $n => $item) {
        $idnumber = (string)$item['idnumber'];
        if (!isset($ids[$idnumber])) {
            throw new harness_failure("response $n: no question with idnumber '$idnumber' was imported");
        }
        $question = question_bank::load_question($ids[$idnumber]);
        if (!isset(harness::$result['questions'][$idnumber])) {
            $quba = question_engine::make_questions_usage_by_activity('core_question_preview', $category->context);
            $quba->set_preferred_behaviour('deferredfeedback');
            $slot = $quba->add_question(question_bank::load_question($ids[$idnumber]), 1);
            $quba->start_question($slot, 1);
            harness::$result['questions'][$idnumber] = ['qtype' => $question->get_type_name(),
                'mark' => (float)$question->defaultmark,
                'gaps' => probe_gaps($quba->get_question($slot), $quba->get_question_attempt($slot))];
        }
        harness::$result['grades'][] = ['idnumber' => $idnumber, 'response' => $item['response']]
            + probe_grade($question, $item['response'], $category->context, $item['pick'] ?? []);
    }
    $ok = true;
} catch (Throwable $e) {
    harness::exception($e);
}
harness::finish($ok);
