"""End-to-end hardening checks (issue 7): résumé files stay inside the record's folder,
oversized or endless server responses, `configure` while a bulk `send` runs, and oversized
record files."""
import json
import os
import sqlite3
import stat
import subprocess
import tempfile
import threading
import tomllib
import unittest

import harness
from harness import (Sandbox, SandboxTestCase, make_home, pjats_env, run_pjats,
                     short_http_timeout)

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER_EMAIL = "recruiter@acme.example"
PJ_TOKEN = "pj_sandbox_token"
SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- hardening-test-secret"
FIELD = "meta.purposeJobs.resumeFile"
# A run that takes longer than this is a hang; it is a failure, not a timing assertion.
HANG_SECONDS = 60
PEAK_RSS_LIMIT_KB = 200 * 1024


command = harness.pjats_command
scaled = harness.scaled


def wrapped():
    """True when pj-ats runs under a wrapper (valgrind): its memory is not pj-ats's alone."""
    return bool(harness.PJATS_WRAPPER)


def memory_is_measurable():
    """False under a wrapper or AddressSanitizer (whose quarantine keeps freed memory, so
    peak RSS says nothing about pj-ats's own use; CMake sets PJATS_SANITIZED)."""
    return not wrapped() and os.environ.get("PJATS_SANITIZED") != "1"


def run_measured(args, home, timeout=HANG_SECONDS):
    """Runs pj-ats and returns (exit code, stdout, stderr, peak RSS in KiB of that process).

    The process is killed after `timeout` seconds (scaled) and the test fails: a hang."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command(args), env=pjats_env(home), stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err)
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            proc.kill()

        timer = threading.Timer(scaled(timeout), kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if timed_out.is_set():
        raise AssertionError("pj-ats %s did not finish within %d s; stderr: %s"
                             % (" ".join(args), timeout, stderr[-2000:]))
    return proc.returncode, stdout, stderr, usage.ru_maxrss


def ledger_rows(home):
    path = os.path.join(home, "state", "pj-ats", "default.db")
    if not os.path.exists(path):
        return []
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM sends ORDER BY candidate_id")]


def write_json(path, document):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f)


def record(cid, resume_file=None, name="Ada Lovelace"):
    meta = {"id": cid}
    if resume_file is not None:
        meta["resumeFile"] = resume_file
    return {"basics": {"name": name, "email": "%s@example.com" % cid},
            "meta": {"purposeJobs": meta}}


class ResumeFileConfinement(SandboxTestCase):
    """meta.purposeJobs.resumeFile may only name a file inside the record's folder."""

    def setUp(self):
        super().setUp()
        self.secret = os.path.join(self.home, "secret", "id_rsa")
        os.makedirs(os.path.dirname(self.secret))
        with open(self.secret, "w") as f:
            f.write(SECRET)
        self.export = os.path.join(self.home, "export")
        candidates = os.path.join(self.export, "candidates")
        os.makedirs(os.path.join(candidates, "files"))
        with open(os.path.join(candidates, "files", "ok.pdf"), "wb") as f:
            f.write(b"%PDF-1.4 fine")
        os.symlink(self.secret, os.path.join(candidates, "files", "cv.pdf"))
        write_json(os.path.join(candidates, "abs.json"), record("abs", self.secret))
        write_json(os.path.join(candidates, "up.json"), record("up", "../../secret/id_rsa"))
        write_json(os.path.join(candidates, "link.json"), record("link", "files/cv.pdf"))
        write_json(os.path.join(candidates, "fine.json"), record("fine", "files/ok.pdf"))
        code, _, err = self.pj("configure", "source", "--dir", self.export)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", RECRUITER_EMAIL,
                               input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL,
                               "--api-key-stdin", "--base-url", self.sandbox.url,
                               input=GH_KEY)
        self.assertEqual(code, 0, err)
        self.sandbox.reset()

    def assert_refused(self, code, out, err):
        self.assertEqual(code, 6, err)
        self.assertIn(FIELD, err)
        self.assertNotIn(SECRET, out + err)
        self.assertNotIn("id_rsa", out + err)
        state = self.sandbox.state()
        self.assertEqual(state["lever"]["opportunities"], [])
        self.assertEqual(state["greenhouse"]["candidates"], [])
        self.assertEqual(state["counters"]["requests"].get("POST /v1/opportunities", 0), 0)

    def test_send_file_naming_a_file_outside_exits_6(self):
        path = os.path.join(self.home, "records", "r.json")
        write_json(path, record("r1", self.secret))
        code, out, err = self.pj("send", "--file", path, "--to", "lever")
        self.assert_refused(code, out, err)
        self.assertIn(path + ": " + FIELD, err)

    def test_standard_input_may_not_escape_the_current_directory(self):
        text = json.dumps(record("s1", "../secret/id_rsa"))
        code, out, err = self.pj("send", "--file", "-", "--to", "lever", input=text)
        self.assert_refused(code, out, err)

    def test_dir_source_escapes_are_refused_for_every_target(self):
        for cid in ("abs", "up", "link"):
            for target in ("lever", "greenhouse"):
                with self.subTest(candidate=cid, target=target):
                    code, out, err = self.pj("send", cid, "--to", target)
                    self.assert_refused(code, out, err)
                    self.assertIn("candidates/%s.json: %s" % (cid, FIELD), err)

    def test_bulk_send_reports_each_refused_candidate_and_sends_the_good_one(self):
        code, out, err = self.pj("send", "abs", "up", "link", "fine", "--to", "lever")
        self.assertEqual(code, 3, out + err)  # partial: one sent, three refused
        for cid in ("abs", "up", "link"):
            self.assertIn("candidates/%s.json: %s" % (cid, FIELD), err)
        self.assertNotIn(SECRET, out + err)
        [opp] = self.sandbox.state()["lever"]["opportunities"]
        self.assertEqual(opp["body"]["emails"], ["fine@example.com"])
        self.assertEqual(opp["resume"]["filename"], "ok.pdf")
        self.assertEqual(opp["resume"]["size"], len(b"%PDF-1.4 fine"))

    def test_url_source_records_may_not_name_a_local_file(self):
        candidate = record("u1", self.secret)
        self.sandbox.control("POST", "pj/applications", {
            "job_id": "job-1", "applications": [{"id": "a1", "cursor": "c1",
                                                 "candidate": candidate}]})
        code, _, err = self.pj("configure", "source", "--url", self.sandbox.url + "/pj",
                               "--token-stdin", input=PJ_TOKEN)
        self.assertEqual(code, 0, err)
        code, out, err = self.pj("send", "u1", "--to", "lever")
        self.assert_refused(code, out, err)
        self.assertIn("resumeUrl", err)


class OversizedResponses(SandboxTestCase):
    """A server answering with a 1 GiB (declared) or never-ending body: pj-ats stops at its
    response cap with a clear error, bounded memory, and keeps the candidate in the ledger."""

    CANDIDATE = "1043"

    def setUp(self):
        super().setUp()
        code, _, err = self.pj("configure", "source", "--dir", SOURCE)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", RECRUITER_EMAIL,
                               input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL,
                               "--api-key-stdin", "--base-url", self.sandbox.url,
                               input=GH_KEY)
        self.assertEqual(code, 0, err)

    def fresh(self):
        """Back to an empty sandbox and ledger (one per subtest)."""
        self.sandbox.reset()
        state = os.path.join(self.home, "state", "pj-ats")
        for name in os.listdir(state) if os.path.isdir(state) else []:
            path = os.path.join(state, name)
            if os.path.isfile(path):  # the ledger and its files; the learnt pace stays
                os.remove(path)
        # The profile remembers its ledger; starting anew is said out loud.
        code, _, err = self.pj("configure", "ledger", "--new")
        self.assertEqual(code, 0, err)

    def run_against(self, action, method, path, args):
        # `times` covers retries and the look-up-then-resend of an unknown outcome.
        self.sandbox.faults([{"method": method, "path": path, "action": action,
                              "times": 20}])
        code, out, err, peak_kb = run_measured(args, self.home)
        # A response over the cap is an unexpected API answer (exit 1), not retried.
        self.assertEqual(code, 1, out + err)
        self.assertIn("response larger than", err)
        self.assertNotIn("Traceback", err)
        if memory_is_measurable():
            self.assertLess(peak_kb, PEAK_RSS_LIMIT_KB, "peak RSS %d KiB" % peak_kb)
        self.assertGreaterEqual(self.sandbox.state()["counters"]["faults_fired"], 1)
        return code, out, err

    def test_lists_stop_at_the_cap(self):
        cases = [("postings", "/v1/postings"), ("jobs", "/v1/partner/jobs")]
        for action in ("huge_body", "endless_body"):
            for cmd, path in cases:
                with self.subTest(action=action, command=cmd):
                    self.fresh()
                    self.run_against(action, "GET", path, [cmd])

    def test_lever_send_keeps_the_candidate_pending_then_sends_it_once(self):
        for action in ("huge_body", "endless_body"):
            with self.subTest(action=action):
                self.fresh()
                self.run_against(action, "POST", "/v1/opportunities",
                                 ["send", self.CANDIDATE, "--to", "lever"])
                [row] = ledger_rows(self.home)
                self.assertEqual((row["candidate_id"], row["target"], row["state"]),
                                 (self.CANDIDATE, "lever", "pending"))
                code, out, _ = self.pj("status")
                self.assertIn("1 pending", out)
                # The next run looks the candidate up, finds nothing, and sends it once.
                self.sandbox.reset()
                code, out, err = self.pj("send", self.CANDIDATE, "--to", "lever",
                                         env=short_http_timeout())
                self.assertEqual(code, 0, err)
                self.assertEqual(len(self.sandbox.state()["lever"]["opportunities"]), 1)
                self.assertEqual([r["state"] for r in ledger_rows(self.home)], ["sent"])

    def test_greenhouse_send_marks_the_candidate_for_review(self):
        for action in ("huge_body", "endless_body"):
            with self.subTest(action=action):
                self.fresh()
                self.run_against(action, "POST", "/v1/partner/candidates",
                                 ["send", self.CANDIDATE, "--to", "greenhouse"])
                [row] = ledger_rows(self.home)
                self.assertEqual((row["candidate_id"], row["target"], row["state"]),
                                 (self.CANDIDATE, "greenhouse", "review"))
                code, out, _ = self.pj("status")
                self.assertIn("1 to review", out)
                self.assertIn(self.CANDIDATE + " -> greenhouse", out)
                # A plain re-run does not send blindly; --force does, exactly once.
                self.sandbox.reset()
                code, _, err = self.pj("send", self.CANDIDATE, "--to", "greenhouse")
                self.assertEqual(code, 7, err)
                self.assertIn("review " + self.CANDIDATE, err)
                self.assertEqual(self.sandbox.state()["greenhouse"]["candidates"], [])
                code, _, err = self.pj("send", self.CANDIDATE, "--to", "greenhouse", "--force")
                self.assertEqual(code, 0, err)
                self.assertEqual(len(self.sandbox.state()["greenhouse"]["candidates"]), 1)


class ConfigureDuringBulkSend(unittest.TestCase):
    """`configure` rewriting the profile while a bulk `send` with that profile runs."""

    COUNT = 40

    def test_configure_while_a_bulk_send_runs(self):
        with Sandbox("--latency-ms", "150") as sandbox:
            home = make_home()
            export = os.path.join(home, "export")
            ids = []
            for i in range(self.COUNT):
                cid = "k%03d" % i
                write_json(os.path.join(export, "candidates", cid + ".json"),
                           record(cid, name="Conc Person%d" % i))
                ids.append(cid)

            def pj(*args, **kw):
                return run_pjats(list(args), home=home, **kw)

            self.assertEqual(pj("configure", "source", "--dir", export)[0], 0)
            code, _, err = pj("configure", "lever", "--api-key-stdin", "--base-url",
                              sandbox.url, "--perform-as-email", RECRUITER_EMAIL,
                              input=LEVER_KEY)
            self.assertEqual(code, 0, err)
            sandbox.reset()

            send = subprocess.Popen(command(["send", "--to", "lever"] + ids),
                                    env=pjats_env(home), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            keys = ["gh_rotated_key_%d" % i for i in range(5)]
            running_during = 0
            try:
                for key in keys:
                    running_during += send.poll() is None
                    # Each round also rewrites the source section from a second process at
                    # the same moment: neither update may be lost.
                    results = {}
                    other = threading.Thread(target=lambda: results.update(
                        source=pj("configure", "source", "--dir", export)))
                    other.start()
                    code, _, err = pj("configure", "greenhouse", "--email", GH_EMAIL,
                                      "--api-key-stdin", "--base-url", sandbox.url,
                                      "--no-verify", input=key)
                    other.join()
                    self.assertEqual(code, 0, err)
                    self.assertEqual(results["source"][0], 0, results["source"][2])
                out, err = send.communicate(timeout=scaled(HANG_SECONDS * 2))
            finally:
                if send.poll() is None:
                    send.kill()
                    send.communicate()
            # The overlap is what this test is about: with 40 candidates at 150 ms latency
            # under Lever's 10/s limit the send runs for seconds, configure for milliseconds.
            self.assertGreater(running_during, 0, "the send ended before any configure ran")
            self.assertEqual(send.returncode, 0, out + err)

            emails = sorted(o["body"]["emails"][0]
                            for o in sandbox.state()["lever"]["opportunities"])
            self.assertEqual(emails, sorted("%s@example.com" % cid for cid in ids))
            rows = ledger_rows(home)
            self.assertEqual(sorted(r["candidate_id"] for r in rows), sorted(ids))
            self.assertEqual({r["state"] for r in rows}, {"sent"})
            self.assertEqual({r["attempts"] for r in rows}, {1})

            config_dir = os.path.join(home, "config", "pj-ats")
            config = os.path.join(config_dir, "config.toml")
            self.assertEqual(stat.S_IMODE(os.stat(config).st_mode), 0o600)
            with open(config, "rb") as f:
                profile = tomllib.load(f)["profiles"]["default"]
            self.assertEqual(profile["greenhouse"]["api_key"], keys[-1])
            self.assertEqual(profile["lever"]["api_key"], LEVER_KEY)
            self.assertEqual(profile["source"]["dir"], export)
            self.assertEqual(sorted(os.listdir(config_dir)), ["config.toml", "config.toml.lock"])


class OversizedRecordFiles(SandboxTestCase):
    """A 50 MB record is refused with exit 6 and a clear message, without reading it all."""

    SIZE = 50 * 1024 * 1024

    def big_record(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        head = b'{"basics":{"name":"Big Record","summary":"'
        tail = b'"},"meta":{"purposeJobs":{"id":"big"}}}'
        piece = b"x" * (1024 * 1024)
        with open(path, "wb") as f:  # in pieces: the test process stays small (peak RSS)
            f.write(head)
            for _ in range(self.SIZE // len(piece) - 1):
                f.write(piece)
            f.write(b"x" * (len(piece) - len(head) - len(tail)))
            f.write(tail)

    def setUp(self):
        super().setUp()
        self.export = os.path.join(self.home, "export")
        self.big_record(os.path.join(self.export, "candidates", "big.json"))
        self.assertEqual(self.pj("configure", "source", "--dir", self.export)[0], 0)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", RECRUITER_EMAIL,
                               input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        self.sandbox.reset()

    def check(self, args, origin):
        code, out, err, peak_kb = run_measured(args, self.home)
        self.assertEqual(code, 6, out + err)
        self.assertIn(origin + ": record is larger than the limit", err)
        if memory_is_measurable():
            self.assertLess(peak_kb, PEAK_RSS_LIMIT_KB, "peak RSS %d KiB" % peak_kb)
        self.assertEqual(self.sandbox.state()["lever"]["opportunities"], [])

    def test_send_file(self):
        path = os.path.join(self.export, "candidates", "big.json")
        self.check(["send", "--file", path, "--to", "lever"], path)

    def test_dir_source(self):
        self.check(["send", "big", "--to", "lever"], "candidates/big.json")


if __name__ == "__main__":
    unittest.main()
