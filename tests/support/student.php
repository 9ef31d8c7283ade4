<?php
// Learners for the browser tests: create a student and enrol them in courses (manual enrolment, the
// student role), printing how to log in; delete that user again; delete test courses. JSON on stdout.
// Usage: MOODLE_HARNESS=... php student.php enrol COURSEID [COURSEID...]
//            -> {"id": ..., "username": ..., "password": ..., "courses": [...]}
//        MOODLE_HARNESS=... php student.php delete-user USERID
//        MOODLE_HARNESS=... php student.php delete-course COURSEID [COURSEID...]
require(dirname(__DIR__, 3) . '/shared/moodle/bin/harness.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->libdir . '/enrollib.php');

\core\session\manager::set_user(get_admin());
$args = harness::args();
$action = array_shift($args);
$ids = array_map('intval', $args);

/** A new confirmed, fully set up manual account with a password that meets Moodle's default policy. */
function student_create(): array {
    global $CFG;
    $tag = strtolower(random_string(8));
    $password = 'Learner#' . random_string(12) . '7';
    $user = (object)[
        'auth' => 'manual', 'confirmed' => 1, 'mnethostid' => $CFG->mnet_localhost_id,
        'username' => 'cpstudent' . $tag, 'password' => $password,
        'firstname' => 'Student', 'lastname' => $tag, 'email' => "cpstudent$tag@example.invalid",
        'lang' => $CFG->lang, 'timezone' => '99',
    ];
    $user->id = user_create_user($user, true, false);
    return ['id' => (int)$user->id, 'username' => $user->username, 'password' => $password];
}

/** Enrol a user as a student with the course's manual enrolment method (added if the course has none). */
function student_enrol(int $userid, int $courseid): void {
    global $DB;
    $course = get_course($courseid);
    $plugin = enrol_get_plugin('manual');
    $instance = $DB->get_record('enrol', ['courseid' => $courseid, 'enrol' => 'manual'], '*', IGNORE_MULTIPLE);
    if (!$instance) {
        $instanceid = $plugin->add_default_instance($course);
        $instance = $DB->get_record('enrol', ['id' => $instanceid], '*', MUST_EXIST);
    }
    if ((int)$instance->status !== ENROL_INSTANCE_ENABLED) {
        $plugin->update_status($instance, ENROL_INSTANCE_ENABLED);
    }
    $role = $DB->get_record('role', ['shortname' => 'student'], '*', MUST_EXIST);
    $plugin->enrol_user($instance, $userid, $role->id);
}

ob_start();
switch ($action) {
    case 'enrol':
        $result = student_create();
        foreach ($ids as $courseid) {
            student_enrol($result['id'], $courseid);
        }
        $result['courses'] = $ids;
        break;
    case 'delete-user':
        $user = $DB->get_record('user', ['id' => $ids[0] ?? 0, 'deleted' => 0], '*', MUST_EXIST);
        $result = ['deleted_user' => (int)$user->id, 'ok' => delete_user($user)];
        break;
    case 'delete-course':
        harness::force_recycle_bin_off();
        $result = ['deleted_courses' => []];
        foreach ($ids as $courseid) {
            if ($DB->record_exists('course', ['id' => $courseid]) && $courseid !== SITEID) {
                delete_course($courseid, false);
                $result['deleted_courses'][] = $courseid;
            }
        }
        break;
    default:
        ob_end_clean();
        harness::usage('usage: student.php enrol COURSEID... | delete-user USERID | delete-course COURSEID...');
}
$output = ob_get_clean();
if ($output !== '') {
    fwrite(STDERR, $output);
}
echo json_encode($result, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRETTY_PRINT), "\n";
