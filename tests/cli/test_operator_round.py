"""End-to-end: the smaller findings of the cron operator's round (issue 27) — message
prefixes, flag suggestions, quiet re-imports, a dry run in cursor order with timestamps,
the man page's SYNOPSIS, dates before 1970, Greenhouse's older current_user answer, and
JSON syntax errors with a line and column."""
import http.server
import json
import os
import pty
import re
import select
import signal
import subprocess
import threading
import time
import unittest

from harness import make_home, pjats_command, pjats_env, run_pjats, scaled, SandboxTestCase

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
SOURCE_DIR = os.environ.get("PJATS_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
LEVER_KEY = "lever_sandbox_6a1f0c"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
JOB = "pj-job-77"
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "


class OperatorRound(SandboxTestCase):
    def configure_lever(self, source=SOURCE):
        self.assertEqual(self.pj("configure", "source", "--dir", source)[0], 0)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", GH_EMAIL, input=LEVER_KEY)
        self.assertEqual(code, 0, err)

    def test_warnings_and_notes_carry_the_program_name(self):
        self.configure_lever()
        code, _, err = self.pj("link-job", "pj-jbo-77", PUBLISHED)
        self.assertEqual(code, 0, err)
        self.assertIn("pj-ats: warning: Purpose Jobs job pj-jbo-77 has no applications", err)
        code, _, err = self.pj("revoke", "lever", env={"PJ_ATS_LEVER_API_KEY": "x"})
        self.assertEqual(code, 0, err)
        self.assertIn("pj-ats: note: PJ_ATS_LEVER_API_KEY is still set", err)
        for line in err.splitlines():
            self.assertFalse(re.match(r"^(warning|note): ", line), line)

    def test_a_short_flag_typo_suggests_the_long_flag_it_starts(self):
        code, _, err = self.pj("-j", "status")
        self.assertEqual(code, 2, err)
        self.assertIn("unknown flag '-j'; did you mean '--json'?", err)
        self.assertNotIn("'-h'", err)
        code, _, err = self.pj("status", "-x")
        self.assertEqual(code, 2, err)
        self.assertNotIn("did you mean", err)  # no flag starts with x: no guess

    def test_a_second_import_says_so_in_a_few_lines(self):
        export = make_home()
        os.makedirs(os.path.join(export, "candidates"))
        ids = ["7%03d" % i for i in range(30)]
        for cid in ids:
            with open(os.path.join(export, "candidates", cid + ".json"), "w") as f:
                json.dump({"basics": {"name": "Some Person%s" % cid, "email": "p%s@example.com" % cid},
                           "meta": {"purposeJobs": {"id": cid}}}, f)
        self.configure_lever(export)
        self.assertEqual(self.pj("send", *ids, "--to", "lever")[0], 0)
        dump = os.path.join(make_home(), "ledger.jsonl")
        self.assertEqual(self.pj("ledger", "export", "--output", dump)[0], 0)
        code, out, err = self.pj("ledger", "import", dump)
        self.assertEqual(code, 0, err)
        self.assertIn("30 already there, kept", out)
        kept = [line for line in err.splitlines() if "kept" in line]
        self.assertEqual(len(kept), 6, err)  # five named, then one line for the rest
        self.assertIn("and 25 more existing rows kept", err)
        code, _, err = self.pj("-v", "ledger", "import", dump)
        self.assertEqual(len([l for l in err.splitlines() if "kept the existing row" in l]), 30)

    def test_sync_dry_run_lists_in_cursor_order_with_timestamps(self):
        export = make_home()
        folder = os.path.join(export, "applications", JOB)
        os.makedirs(folder)
        stems = ["2026-11-%02dT10-00-00Z-%d" % (day, 5000 + day) for day in range(1, 25)]
        for stem in stems:
            with open(os.path.join(folder, stem + ".json"), "w") as f:
                json.dump({"basics": {"name": "Applicant Number%s" % stem[-4:],
                                      "email": "a%s@example.com" % stem[-4:]},
                           "meta": {"purposeJobs": {"id": stem[-4:]}}}, f)
        self.configure_lever(export)
        self.assertEqual(self.pj("link-job", JOB, PUBLISHED)[0], 0)
        code, out, err = self.pj("sync", "--dry-run")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        for line in lines:
            self.assertRegex(line, "^" + STAMP, line)  # as a real run's log lines
        wanted = [line for line in lines if "would send" in line]
        ids = [re.search(r"would send candidate (\d+)", line).group(1) for line in wanted]
        self.assertEqual(ids, [s[-4:] for s in stems])
        self.assertEqual(self.sandbox.state()["lever"]["opportunities"], [])

    def test_a_second_ctrl_c_ends_the_progress_line(self):
        export = make_home()
        os.makedirs(os.path.join(export, "candidates"))
        ids = ["8%03d" % i for i in range(30)]
        for cid in ids:
            with open(os.path.join(export, "candidates", cid + ".json"), "w") as f:
                json.dump({"basics": {"name": "Some Person%s" % cid, "email": "q%s@example.com" % cid},
                           "meta": {"purposeJobs": {"id": cid}}}, f)
        self.configure_lever(export)
        master, slave = pty.openpty()
        proc = subprocess.Popen(pjats_command(["send", *ids, "--to", "lever", "--rate", "1"]),
                                stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                                env=pjats_env(self.home))
        os.close(slave)
        chunks = []

        def read_for(seconds):
            end = time.time() + seconds
            while time.time() < end:
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        data = os.read(master, 4096)
                    except OSError:
                        return False
                    if not data:
                        return False
                    chunks.append(data)
            return True

        read_for(scaled(3))  # the progress line is on the terminal now
        proc.send_signal(signal.SIGINT)
        read_for(0.3)
        proc.send_signal(signal.SIGINT)
        while read_for(0.5):
            if proc.poll() is not None and not select.select([master], [], [], 0.2)[0]:
                break
        os.close(master)
        proc.wait(timeout=scaled(60))
        self.assertEqual(proc.returncode, -signal.SIGINT)  # killed the usual way
        text = b"".join(chunks).decode("utf-8", "replace")
        self.assertIn("\npj-ats: interrupted again: stopping now", text.replace("\r\n", "\n"))
        self.assertTrue(text.endswith("\n"), repr(text[-200:]))

    def test_man_synopsis_lists_every_command(self):
        with open(os.path.join(SOURCE_DIR, "man", "pj-ats.1"), encoding="utf-8") as f:
            page = f.read()
        synopsis = page[page.index(".SH SYNOPSIS"):page.index(".SH DESCRIPTION")]
        for command in ("configure", "send", "link-job", "sync", "track", "hires", "postings",
                        "jobs", "revoke", "status", "ledger", "sandbox"):
            with self.subTest(command=command):
                self.assertRegex(synopsis, r"(?m)^\.B pj-ats %s\b" % re.escape(command))

    def test_hires_before_1970_says_what_is_wrong(self):
        self.configure_lever()
        code, _, err = self.pj("hires", "--since", "1969-12-31")
        self.assertEqual(code, 2, err)
        self.assertNotIn("expected a date as YYYY-MM-DD", err)
        self.assertIn("before 1970-01-01", err)
        code, _, err = self.pj("hires", "--since", "2026-13-01")
        self.assertIn("expected a date as YYYY-MM-DD", err)

    def test_a_record_with_a_syntax_error_names_line_and_column(self):
        self.configure_lever()
        path = os.path.join(make_home(), "broken.json")
        with open(path, "w") as f:
            f.write('{\n  "basics": {"name": "Ada Lovelace"}\n  "meta": {}\n}\n')
        code, _, err = self.pj("send", "--file", path, "--to", "lever", "--dry-run")
        self.assertNotEqual(code, 0)
        self.assertIn("(line 3, column 3)", err)


class OldCurrentUser(http.server.BaseHTTPRequestHandler):
    """Greenhouse's older current_user answer: no `id`."""

    def do_GET(self):
        body = json.dumps({"first_name": "Riley", "last_name": "Recruiter",
                           "email": GH_EMAIL}).encode()
        self.send_response(200 if self.path.startswith("/v1/partner/current_user") else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class OlderGreenhouseAnswer(unittest.TestCase):
    def test_no_user_id_is_not_shown_as_user_0(self):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), OldCurrentUser)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            home = make_home()
            url = "http://127.0.0.1:%d" % server.server_address[1]
            code, out, err = run_pjats(["configure", "greenhouse", "--email", GH_EMAIL,
                                        "--api-key-stdin", "--base-url", url],
                                       home=home, input=GH_KEY)
            self.assertEqual(code, 0, err)
            self.assertIn("acting as Riley Recruiter <%s>" % GH_EMAIL, out)
            self.assertNotIn("(user 0)", out)
            run_pjats(["configure", "source", "--dir", SOURCE], home=home)
            _, out, _ = run_pjats(["status"], home=home)
            self.assertIn("greenhouse.live: acting as Riley Recruiter", out)
            self.assertNotIn("(user 0)", out)
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    unittest.main()
