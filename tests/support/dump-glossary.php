<?php
// Dump every glossary entry in a course as Moodle stored it, as JSON keyed by concept.
// Used by the coursepack tests after ../shared/moodle/bin/import-glossary.php FILE --keep.
// Usage: MOODLE_HARNESS=... php dump-glossary.php COURSEID [--delete]
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require(__DIR__ . '/probe.php');

/** The files Moodle stored for an entry: [filearea, filepath, filename, contenthash], sorted. */
function entry_files($glossary, $entry) {
    global $DB;
    $cm = get_coursemodule_from_instance('glossary', $glossary->id, $glossary->course, false, MUST_EXIST);
    $files = [];
    foreach (get_file_storage()->get_area_files(context_module::instance($cm->id)->id, 'mod_glossary',
            'entry', $entry->id, 'filename', false) as $file) {
        $files[] = [$file->get_filearea(), $file->get_filepath(), $file->get_filename(), $file->get_contenthash()];
    }
    return $files;
}

$args = harness::args();
$courseid = (int)$args[0];
$result = [];
foreach ($DB->get_records('glossary', ['course' => $courseid], 'id') as $glossary) {
    $entries = $DB->get_records('glossary_entries', ['glossaryid' => $glossary->id], 'id');
    foreach ($entries as $entry) {
        $aliases = $DB->get_fieldset_select('glossary_alias', 'alias', 'entryid = ? ORDER BY id', [$entry->id]);
        $categories = $DB->get_fieldset_sql(
            'SELECT c.name FROM {glossary_categories} c JOIN {glossary_entries_categories} ec
                 ON ec.categoryid = c.id WHERE ec.entryid = ? ORDER BY c.name', [$entry->id]);
        $result[$entry->concept] = [
            'glossary' => $glossary->name,
            'definition' => $entry->definition,
            'definitionformat' => (int)$entry->definitionformat,
            'usedynalink' => (int)$entry->usedynalink,
            'casesensitive' => (int)$entry->casesensitive,
            'fullmatch' => (int)$entry->fullmatch,
            'approved' => (int)$entry->approved,
            'aliases' => array_values($aliases),
            'categories' => array_values($categories),
            'tags' => array_values(core_tag_tag::get_item_tags_array('mod_glossary', 'glossary_entries',
                $entry->id)),
            'files' => entry_files($glossary, $entry),
        ];
    }
}
probe_finish($courseid, $result);
