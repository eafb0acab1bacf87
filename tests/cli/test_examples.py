"""Checks the files under examples/: shell scripts parse (bash -n, shellcheck), systemd units
verify, the crontab line is well formed, and the CSV bulk-send script and the credential
helpers behave as documented (run against stand-in `pj-ats` and `pass` programs)."""
import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

SOURCE_DIR = os.environ.get(
    "PJATS_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
EXAMPLES = os.path.join(SOURCE_DIR, "examples")
BULK_SEND = os.path.join(EXAMPLES, "bulk-send-from-csv.sh")
FILE_SECRET = os.path.join(EXAMPLES, "secret-helpers", "file-secret.sh")
PASS_GREENHOUSE = os.path.join(EXAMPLES, "secret-helpers", "pass-greenhouse.sh")

# A stand-in for pj-ats: records its arguments (one per line) and standard input.
FAKE_PJATS = """#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_DIR/args"
cat > "$FAKE_DIR/stdin"
exit "${FAKE_EXIT:-0}"
"""


def shell_scripts():
    found = []
    for root, _dirs, files in os.walk(EXAMPLES):
        found.extend(os.path.join(root, name) for name in files if name.endswith(".sh"))
    return sorted(found)


def write_executable(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, 0o755)


class ShellScriptsTest(unittest.TestCase):
    def test_the_expected_scripts_exist(self):
        names = [os.path.relpath(p, EXAMPLES) for p in shell_scripts()]
        for expected in ("bulk-send-from-csv.sh", "secret-helpers/pass-greenhouse.sh",
                         "secret-helpers/file-secret.sh"):
            self.assertIn(expected, names)

    def test_scripts_parse_are_strict_and_executable(self):
        for path in shell_scripts():
            with self.subTest(script=os.path.relpath(path, EXAMPLES)):
                result = subprocess.run(["bash", "-n", path], capture_output=True, text=True)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stderr, "")
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                self.assertTrue(text.startswith("#!/usr/bin/env bash\n"))
                self.assertIn("set -euo pipefail", text)
                self.assertTrue(os.stat(path).st_mode & stat.S_IXUSR, "not executable")

    @unittest.skipUnless(shutil.which("shellcheck"), "shellcheck is not installed")
    def test_shellcheck_is_clean(self):
        for path in shell_scripts():
            with self.subTest(script=os.path.relpath(path, EXAMPLES)):
                result = subprocess.run(["shellcheck", "--shell=bash", path],
                                        capture_output=True, text=True)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


class SystemdUnitsTest(unittest.TestCase):
    def setUp(self):
        self.dir = os.path.join(EXAMPLES, "systemd")
        with open(os.path.join(self.dir, "pj-ats-sync.service"), encoding="utf-8") as f:
            self.service = f.read()
        with open(os.path.join(self.dir, "pj-ats-sync.timer"), encoding="utf-8") as f:
            self.timer = f.read()

    def settings(self, text):
        pairs = {}
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith(("#", ";", "[")):
                key, _, value = line.partition("=")
                pairs.setdefault(key, []).append(value)
        return pairs

    def test_service_is_a_hardened_oneshot_running_sync(self):
        s = self.settings(self.service)
        self.assertEqual(s["Type"], ["oneshot"])
        self.assertEqual(len(s["ExecStart"]), 1)
        self.assertRegex(s["ExecStart"][0], r"^/\S*/pj-ats --no-input sync$")
        self.assertEqual(s["NoNewPrivileges"], ["yes"])
        self.assertEqual(s["ProtectSystem"], ["strict"])
        writable = " ".join(s["ReadWritePaths"]).split()
        self.assertIn("%h/.config/pj-ats", writable)
        self.assertIn("%h/.local/state/pj-ats", writable)
        # A user unit: no User=, installed into the user's default.target.
        self.assertNotIn("User", s)
        self.assertEqual(s["WantedBy"], ["default.target"])

    def test_timer_runs_every_five_minutes(self):
        t = self.settings(self.timer)
        self.assertEqual(t["OnCalendar"], ["*:0/5"])
        self.assertEqual(t["WantedBy"], ["timers.target"])
        # No Unit=: the timer starts the service with the same name.
        self.assertNotIn("Unit", t)

    @unittest.skipUnless(shutil.which("systemd-analyze"), "systemd-analyze is not installed")
    def test_systemd_analyze_verify(self):
        with tempfile.TemporaryDirectory(prefix="pjats-units-") as tmp:
            # ExecStart must name an existing program; Documentation=man:pj-ats(1) must be
            # found by man(1), so put our page on MANPATH.
            service = re.sub(r"(?m)^ExecStart=\S+", "ExecStart=/bin/true", self.service)
            with open(os.path.join(tmp, "pj-ats-sync.service"), "w", encoding="utf-8") as f:
                f.write(service)
            shutil.copy(os.path.join(self.dir, "pj-ats-sync.timer"), tmp)
            os.makedirs(os.path.join(tmp, "man", "man1"))
            shutil.copy(os.path.join(SOURCE_DIR, "man", "pj-ats.1"),
                        os.path.join(tmp, "man", "man1"))
            env = dict(os.environ, MANPATH=os.path.join(tmp, "man") + ":")
            result = subprocess.run(
                ["systemd-analyze", "verify", os.path.join(tmp, "pj-ats-sync.service"),
                 os.path.join(tmp, "pj-ats-sync.timer")],
                capture_output=True, text=True, env=env, timeout=120)
            if "Failed to initialize manager" in result.stderr:
                self.skipTest("systemd-analyze cannot run here: " + result.stderr.strip())
            # Unrelated units of the host may produce messages: only ours count.
            ours = [line for line in result.stderr.splitlines() if tmp in line
                    or "pj-ats-sync" in line]
            self.assertEqual(ours, [])
            self.assertEqual(result.returncode, 0, result.stderr)


CRON_FIELD_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]


def valid_cron_field(field, low, high):
    for part in field.split(","):
        match = re.fullmatch(r"(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?", part)
        if not match:
            return False
        numbers = [int(n) for n in match.group(2, 3) if n is not None]
        if any(n < low or n > high for n in numbers):
            return False
        if match.group(4) is not None and int(match.group(4)) == 0:
            return False
    return True


class CrontabTest(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(EXAMPLES, "cron", "crontab"), encoding="utf-8") as f:
            lines = [line.strip() for line in f]
        self.active = [line for line in lines if line and not line.startswith("#")]
        self.jobs = [line for line in self.active
                     if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*=", line)]

    def test_field_checker(self):
        self.assertTrue(valid_cron_field("*/5", 0, 59))
        self.assertTrue(valid_cron_field("1-5,7", 0, 7))
        self.assertFalse(valid_cron_field("60", 0, 59))
        self.assertFalse(valid_cron_field("*/0", 0, 59))
        self.assertFalse(valid_cron_field("every", 0, 59))

    def test_one_sync_job_every_five_minutes(self):
        self.assertEqual(len(self.jobs), 1, self.jobs)
        fields = self.jobs[0].split(None, 5)
        self.assertEqual(len(fields), 6, "5 time fields and a command")
        for field, (low, high) in zip(fields[:5], CRON_FIELD_RANGES):
            self.assertTrue(valid_cron_field(field, low, high), field)
        self.assertEqual(fields[:5], ["*/5", "*", "*", "*", "*"])
        command = fields[5]
        self.assertRegex(command, r"^pj-ats --no-input sync\b")
        self.assertRegex(command, r">>\s*\S+\.log\b.*2>&1")
        # cron turns an unescaped % into a newline.
        self.assertNotRegex(command, r"(?<!\\)%")
        # pj-ats's own lock makes flock(1) unnecessary.
        self.assertNotIn("flock", command)

    def test_path_is_set(self):
        paths = [line for line in self.active if line.startswith("PATH=")]
        self.assertEqual(len(paths), 1)
        self.assertIn("/usr/local/bin", paths[0].split("=", 1)[1].split(":"))


class BulkSendFromCsvTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pjats-bulk-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.bin = os.path.join(self.tmp, "bin")
        os.mkdir(self.bin)
        write_executable(os.path.join(self.bin, "pj-ats"), FAKE_PJATS)

    def run_script(self, csv_text, *args, stdin=None, **env):
        path = os.path.join(self.tmp, "export.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(csv_text)
        full_env = dict(os.environ, PATH=self.bin + os.pathsep + os.environ["PATH"],
                        FAKE_DIR=self.tmp)
        for name in ("TARGET", "ID_COLUMN", "FAKE_EXIT"):
            full_env.pop(name, None)
        full_env.update(env)
        argv = [BULK_SEND, "-" if stdin is not None else path, *args]
        return subprocess.run(argv, input=stdin, capture_output=True, text=True,
                              env=full_env, timeout=60)

    def recorded(self):
        args_file = os.path.join(self.tmp, "args")
        if not os.path.exists(args_file):
            return None, None
        with open(args_file, encoding="utf-8") as f:
            args = f.read().splitlines()
        with open(os.path.join(self.tmp, "stdin"), encoding="utf-8") as f:
            stdin = f.read()
        return args, stdin

    def test_ids_from_quoted_fields_go_to_send_on_stdin(self):
        csv_text = ('\ufeffname,Purpose_Jobs_ID,notes\r\n'
                    '"Doe, Jane",1042,"likes ""quotes"", and commas"\r\n'
                    '"Smith,\r\nJr.", 1043 ,"two\nlines"\r\n'
                    'No Id,,\r\n'
                    '"Again, Jane",1042,\r\n'
                    'Short row\r\n'
                    'Last,pj-1044,\r\n')
        result = self.run_script(csv_text)
        self.assertEqual(result.returncode, 0, result.stderr)
        args, stdin = self.recorded()
        self.assertEqual(args, ["send", "--ids-from", "-", "--to", "lever"])
        self.assertEqual(stdin, "1042\n1043\npj-1044\n")

    def test_target_and_extra_flags_are_passed_on(self):
        result = self.run_script("purpose_jobs_id\n7\n", "--job", "4690", "--dry-run",
                                 TARGET="greenhouse")
        self.assertEqual(result.returncode, 0, result.stderr)
        args, stdin = self.recorded()
        self.assertEqual(args, ["send", "--ids-from", "-", "--to", "greenhouse", "--job",
                                "4690", "--dry-run"])
        self.assertEqual(stdin, "7\n")

    def test_exit_status_is_pjats_own(self):
        for code in (3, 4, 7):
            with self.subTest(code=code):
                result = self.run_script("purpose_jobs_id\n1\n2\n", FAKE_EXIT=str(code))
                self.assertEqual(result.returncode, code, result.stderr)

    def test_reads_standard_input_and_another_column(self):
        result = self.run_script("", stdin="id,candidate\nx,\"c-1\"\ny,c-2\n",
                                 ID_COLUMN="candidate")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.recorded()[1], "c-1\nc-2\n")

    def test_missing_column_sends_nothing(self):
        result = self.run_script("name,email\nJane,jane@example.com\n")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no purpose_jobs_id column", result.stderr)
        self.assertEqual(self.recorded(), (None, None))

    def test_an_id_with_white_space_inside_sends_nothing(self):
        result = self.run_script('purpose_jobs_id\n1\n"2 3"\n')
        self.assertEqual(result.returncode, 2)
        self.assertIn("line 3", result.stderr)
        self.assertEqual(self.recorded(), (None, None))

    def test_no_ids_sends_nothing_and_succeeds(self):
        result = self.run_script("purpose_jobs_id,name\n,Jane\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("nothing to send", result.stderr)
        self.assertEqual(self.recorded(), (None, None))

    def test_unreadable_file_and_usage(self):
        env = dict(os.environ, PATH=self.bin + os.pathsep + os.environ["PATH"],
                   FAKE_DIR=self.tmp)
        missing = subprocess.run([BULK_SEND, os.path.join(self.tmp, "nope.csv")],
                                 capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(missing.returncode, 2)
        self.assertIn("cannot read", missing.stderr)
        usage = subprocess.run([BULK_SEND], capture_output=True, text=True, env=env,
                               timeout=60)
        self.assertEqual(usage.returncode, 2)
        self.assertIn("Usage:", usage.stderr)
        self.assertEqual(self.recorded(), (None, None))


class SecretHelpersTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pjats-secret-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def write_secret(self, text, mode):
        path = os.path.join(self.tmp, "key")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def run_helper(self, *argv, env=None):
        return subprocess.run(list(argv), capture_output=True, text=True, timeout=60,
                              env=env)

    def test_file_secret_prints_the_first_line_of_a_private_file(self):
        for mode in (0o600, 0o400):
            with self.subTest(mode=oct(mode)):
                path = self.write_secret("s3cr3t-key\nnotes\n", mode)
                result = self.run_helper(FILE_SECRET, path)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stdout, "s3cr3t-key\n")
                os.chmod(path, 0o600)

    def test_file_secret_without_final_newline(self):
        path = self.write_secret("k-no-newline", 0o600)
        result = self.run_helper(FILE_SECRET, path)
        self.assertEqual((result.returncode, result.stdout), (0, "k-no-newline\n"))

    def test_file_secret_refuses_other_modes_without_leaking(self):
        for mode in (0o640, 0o644, 0o604, 0o660):
            with self.subTest(mode=oct(mode)):
                path = self.write_secret("s3cr3t-key\n", mode)
                result = self.run_helper(FILE_SECRET, path)
                self.assertNotEqual(result.returncode, 0)
                self.assertEqual(result.stdout, "")
                self.assertIn("chmod 600 " + path, result.stderr)
                self.assertNotIn("s3cr3t", result.stderr)

    def test_file_secret_refuses_empty_and_missing_files(self):
        path = self.write_secret("\n", 0o600)
        self.assertNotEqual(self.run_helper(FILE_SECRET, path).returncode, 0)
        missing = self.run_helper(FILE_SECRET, os.path.join(self.tmp, "nope"))
        self.assertNotEqual(missing.returncode, 0)
        self.assertEqual(missing.stdout, "")
        self.assertEqual(self.run_helper(FILE_SECRET).returncode, 2)

    def fake_pass(self, script_body):
        bin_dir = os.path.join(self.tmp, "bin")
        os.makedirs(bin_dir, exist_ok=True)
        write_executable(os.path.join(bin_dir, "pass"), "#!/bin/sh\n" + script_body)
        return dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
                    FAKE_DIR=self.tmp)

    def test_pass_helper_prints_only_the_password_line(self):
        env = self.fake_pass('printf "%s\\n" "$@" > "$FAKE_DIR/pass-args"\n'
                             'printf "gh-key-123\\nuser: someone\\n"\n')
        result = self.run_helper(PASS_GREENHOUSE, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "gh-key-123\n")
        with open(os.path.join(self.tmp, "pass-args"), encoding="utf-8") as f:
            self.assertEqual(f.read().splitlines(), ["show", "pj-ats/greenhouse"])
        result = self.run_helper(PASS_GREENHOUSE, "work/greenhouse-acme", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(self.tmp, "pass-args"), encoding="utf-8") as f:
            self.assertEqual(f.read().splitlines(), ["show", "work/greenhouse-acme"])

    def test_pass_helper_fails_cleanly(self):
        env = self.fake_pass('echo "Error: not in the password store." >&2\nexit 1\n')
        result = self.run_helper(PASS_GREENHOUSE, env=env)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(result.stdout, "")
        empty = self.run_helper(PASS_GREENHOUSE, env=self.fake_pass("printf '\\n'\n"))
        self.assertNotEqual(empty.returncode, 0)
        self.assertEqual(empty.stdout, "")
        option = self.run_helper(PASS_GREENHOUSE, "--clip", env=env)
        self.assertEqual(option.returncode, 2)


if __name__ == "__main__":
    unittest.main()
