<?php
// Shared ending of the coursepack probes (dump-*.php): delete the test course when asked, then print
// the result as JSON. Bootstraps nothing itself; the probe has loaded the kit's harness.php.

function probe_finish(int $courseid, array $result): void {
    if (harness::flag('delete')) {
        harness::force_recycle_bin_off();
        ob_start();
        delete_course($courseid, false);
        ob_end_clean();
    }
    echo json_encode($result, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRETTY_PRINT), "\n";
}
