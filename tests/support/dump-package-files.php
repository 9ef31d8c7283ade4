<?php
// Dump the files Moodle unpacked from every SCORM package and IMS content package of a course,
// as [component, filearea, filepath + filename, contenthash], sorted. Used by the media tests.
// Usage: MOODLE_HARNESS=... php dump-package-files.php COURSEID [--delete]
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require(__DIR__ . '/probe.php');

$args = harness::args();
$courseid = (int)$args[0];
$result = [];
foreach (['scorm' => 'mod_scorm', 'imscp' => 'mod_imscp'] as $module => $component) {
    foreach (get_fast_modinfo($courseid)->get_instances_of($module) as $cm) {
        $context = context_module::instance($cm->id);
        foreach (get_file_storage()->get_area_files($context->id, $component, 'content', false,
                'filepath, filename', false) as $file) {
            $result[] = [$component, $file->get_filearea(), $file->get_filepath() . $file->get_filename(),
                         $file->get_contenthash()];
        }
    }
}
sort($result);
probe_finish($courseid, $result);
