<?php
// Dump every text of a restored course's books, lessons and glossaries that may name files, with
// the files Moodle keeps in that text's area: [{where, component, filearea, text, files}], where
// files are [filename, contenthash]. Used by tests/test_moodle_media.py after restore.php --keep.
// Usage: MOODLE_HARNESS=... php dump-course-media.php COURSEID [--delete]
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require(__DIR__ . '/probe.php');

$args = harness::args();
$courseid = (int)$args[0];
$fs = get_file_storage();
$result = [];

function holder($context, $component, $filearea, $itemid, $where, $text) {
    global $fs;
    $files = [];
    foreach ($fs->get_area_files($context->id, $component, $filearea, $itemid, 'filename', false) as $file) {
        $files[] = [$file->get_filename(), $file->get_contenthash()];
    }
    return ['where' => $where, 'component' => $component, 'filearea' => $filearea,
            'text' => (string)$text, 'files' => $files];
}

$coursecontext = context_course::instance($courseid);
$result[] = holder($coursecontext, 'course', 'summary', 0, 'course summary', get_course($courseid)->summary);
foreach ($DB->get_records('course_sections', ['course' => $courseid], 'section') as $section) {
    $result[] = holder($coursecontext, 'course', 'section', $section->id, "section {$section->section}",
                       $section->summary);
}
$modinfo = get_fast_modinfo($courseid);
foreach ($modinfo->get_instances_of('book') as $cm) {
    $context = context_module::instance($cm->id);
    foreach ($DB->get_records('book_chapters', ['bookid' => $cm->instance], 'pagenum') as $chapter) {
        $result[] = holder($context, 'mod_book', 'chapter', $chapter->id, "book chapter {$chapter->pagenum}",
                           $chapter->content);
    }
}
foreach ($modinfo->get_instances_of('lesson') as $cm) {
    $context = context_module::instance($cm->id);
    $result[] = holder($context, 'mod_lesson', 'intro', 0, 'lesson intro',
                       $DB->get_field('lesson', 'intro', ['id' => $cm->instance]));
    foreach ($DB->get_records('lesson_pages', ['lessonid' => $cm->instance], 'id') as $page) {
        $result[] = holder($context, 'mod_lesson', 'page_contents', $page->id, "lesson page {$page->title}",
                           $page->contents);
        foreach ($DB->get_records('lesson_answers', ['pageid' => $page->id], 'id') as $answer) {
            $result[] = holder($context, 'mod_lesson', 'page_answers', $answer->id,
                               "lesson answer on {$page->title}", $answer->answer);
            $result[] = holder($context, 'mod_lesson', 'page_responses', $answer->id,
                               "lesson response on {$page->title}", $answer->response);
        }
    }
}
foreach ($modinfo->get_instances_of('glossary') as $cm) {
    $context = context_module::instance($cm->id);
    foreach ($DB->get_records('glossary_entries', ['glossaryid' => $cm->instance], 'id') as $entry) {
        $result[] = holder($context, 'mod_glossary', 'entry', $entry->id, "glossary entry {$entry->concept}",
                           $entry->definition);
    }
}
probe_finish($courseid, $result);
