"""End-to-end: every fix pj-ats prints is runnable and right for the target, the profile in
use and where the setting comes from — each test runs the printed command as given (its
placeholders filled in) and checks what the fakes then hold."""
import json
import os
import re
import shlex
import subprocess
import threading
import unittest
import urllib.request

from harness import (Sandbox, make_home, pjats_command, pjats_env, run_pjats, scaled,
                     SandboxTestCase)

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
LEVER_KEY = "lever_sandbox_6a1f0c"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
JOB = "pj-job-77"
CLIENT_ID = "pjats-sandbox-client"
CLIENT_SECRET = "pjats-sandbox-secret"
PROFILE = "acme"  # not the default: every hint must carry --profile acme


def commands_in(text):
    """The `pj-ats …` and other commands quoted with backquotes in `text`, as argv lists."""
    return [shlex.split(c) for c in re.findall(r"`([^`]+)`", text)]


def status_fix(out, name):
    for line_no, line in enumerate(out.splitlines()):
        if re.match(r"^(ok|warn|FAIL) +%s: " % re.escape(name), line):
            return out.splitlines()[line_no + 1].split("fix: ", 1)[1]
    raise AssertionError("no %s check in %s" % (name, out))


class Hints(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.export = make_home()

    def pj(self, *args, **kw):
        return run_pjats(["--profile", PROFILE, *args], home=self.home, **kw)

    def run_hint(self, argv, env=None):
        """Runs a printed pj-ats command as given (no --profile added)."""
        self.assertEqual(argv[0], "pj-ats", argv)
        return run_pjats(argv[1:], home=self.home, env=env)

    def configure_greenhouse(self, source=SOURCE):
        self.assertEqual(self.pj("configure", "source", "--dir", source)[0], 0)
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)

    def candidates(self):
        return self.sandbox.state()["greenhouse"]["candidates"]

    def test_failed_greenhouse_send_is_sent_again_by_send_not_sync(self):
        self.configure_greenhouse()
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": "status", "status": 422, "times": 1}])
        code, _, err = self.pj("send", "1042", "--to", "greenhouse", "--job", "4690")
        self.assertEqual(code, 6, err)
        code, out, _ = self.pj("status", "--offline")
        self.assertEqual(code, 3, out)
        fix = status_fix(out, "ledger.failed")
        self.assertNotIn("sync", fix)  # sync never sends a Greenhouse row
        resend = [c for c in commands_in(fix) if "send" in c]
        self.assertEqual(resend, [["pj-ats", "--profile", PROFILE, "send", "1042", "--to",
                                   "greenhouse", "--job", "4690"]])
        code, _, err = self.run_hint(resend[0])
        self.assertEqual(code, 0, err)
        [stored] = self.candidates()
        self.assertEqual(stored["body"]["external_id"], "1042")
        listing = [c for c in commands_in(fix) if "list" in c][0]
        code, out, err = self.run_hint(listing)
        self.assertEqual(code, 0, err)

    def test_failed_sync_application_is_sent_again_by_sync(self):
        folder = os.path.join(self.export, "applications", JOB)
        os.makedirs(folder)
        path = os.path.join(folder, "001.json")
        with open(path, "w") as f:
            # No name at all: the one record both targets refuse (a one-word name is sent).
            json.dump({"basics": {"email": "plato@example.com"},
                       "meta": {"purposeJobs": {"id": "5001"}}}, f)
        self.assertEqual(self.pj("configure", "source", "--dir", self.export)[0], 0)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", GH_EMAIL, input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.pj("link-job", JOB, PUBLISHED)[0], 0)
        self.assertEqual(self.pj("sync")[0], 6)
        code, out, _ = self.pj("status", "--offline")
        fix = status_fix(out, "ledger.failed")
        self.assertNotIn(" send ", fix)  # `send 5001` would not find an application
        retry = [c for c in commands_in(fix) if "--retry-failed" in c]
        self.assertEqual(retry, [["pj-ats", "--profile", PROFILE, "sync", "--retry-failed"]])
        code, _, err = self.run_hint(retry[0])
        self.assertEqual(code, 6, err)  # still one word: refused again, nothing else
        with open(path, "w") as f:
            json.dump({"basics": {"name": "Plato Athenian", "email": "plato@example.com"},
                       "meta": {"purposeJobs": {"id": "5001"}}}, f)
        code, _, err = self.run_hint(retry[0])
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.sandbox.state()["lever"]["opportunities"]), 1)

    def test_review_names_ledger_resolve_and_it_closes_the_row(self):
        self.configure_greenhouse()
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": "drop_after", "times": 1}])
        code, _, err = self.pj("send", "1042", "--to", "greenhouse", "--job", "4690")
        self.assertEqual(code, 7, err)
        self.assertNotIn("--force", err)
        [resolve] = [c for c in commands_in(err) if "resolve" in c]
        self.assertEqual(resolve, ["pj-ats", "--profile", PROFILE, "ledger", "resolve", "1042",
                                   "--to", "greenhouse", "--job", "4690", "--found",
                                   "CANDIDATE_ID"])
        [stored] = self.candidates()  # the create did happen: the person checks and finds it
        resolve[-1] = str(stored["id"])
        code, _, err = self.run_hint(resolve)
        self.assertEqual(code, 0, err)
        code, out, _ = self.pj("status", "--offline")
        self.assertEqual(code, 0, out)
        code, _, err = self.pj("send", "1042", "--to", "greenhouse", "--job", "4690")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.candidates()), 1)  # skipped: recorded as sent

    def test_refused_key_from_the_environment_names_the_variable(self):
        self.configure_greenhouse()
        env = {"PJ_ATS_GREENHOUSE_API_KEY": "gh_wrong_key"}
        code, _, err = self.pj("send", "1042", "--to", "greenhouse", env=env)
        self.assertEqual(code, 4, err)
        self.assertIn("PJ_ATS_GREENHOUSE_API_KEY", err)
        self.assertNotIn("run `pj-ats --profile acme configure greenhouse` again", err)
        commands = commands_in(err)
        self.assertIn(["unset", "PJ_ATS_GREENHOUSE_API_KEY"], commands)
        # Running it (the variable gone) uses the stored key, which works.
        code, _, err = self.pj("send", "1042", "--to", "greenhouse")
        self.assertEqual(code, 0, err)
        # A stored key that is refused: configure is the fix, with the profile.
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                               "--base-url", self.sandbox.url, "--no-verify", input="gh_bad")
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("send", "1043", "--to", "greenhouse")
        self.assertEqual(code, 4, err)
        self.assertIn("run `pj-ats --profile acme configure greenhouse`", err)


class OAuthHints(unittest.TestCase):
    def authorize(self, sandbox, home, profile=PROFILE):
        args = pjats_command(["--profile", profile, "configure", "lever", "--oauth",
                              "--client-id", CLIENT_ID, "--client-secret-stdin", "--no-browser",
                              "--auth-url", sandbox.url, "--base-url", sandbox.url,
                              "--perform-as-email", GH_EMAIL])
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=pjats_env(home))
        proc.stdin.write(CLIENT_SECRET)
        proc.stdin.close()
        url = None
        while url is None:
            line = proc.stderr.readline()
            if not line:
                break
            match = re.search(r"(https?://\S+/authorize\?\S+)", line)
            url = match.group(1) if match else None
        self.assertIsNotNone(url)
        threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=scaled(10)).read(),
                         daemon=True).start()
        proc.wait(timeout=scaled(60))
        proc.stdout.close()
        proc.stderr.close()
        return proc.returncode

    def test_revoked_grant_names_the_profile_in_use(self):
        with Sandbox("--token-ttl", "3600") as sandbox:
            home = make_home()
            run_pjats(["--profile", PROFILE, "configure", "source", "--dir", SOURCE], home=home)
            self.assertEqual(self.authorize(sandbox, home), 0)
            cfg = os.path.join(home, "config", "pj-ats", "config.toml")
            with open(cfg) as f:
                text = f.read()
            with open(cfg, "w") as f:
                f.write(re.sub(r'refresh_token = "[^"]+"', 'refresh_token = "revoked"', text))
            sandbox.expire_tokens()
            code, _, err = run_pjats(["--profile", PROFILE, "send", "1042", "--to", "lever"],
                                     home=home)
            self.assertEqual(code, 4, err)
            hints = [c for c in commands_in(err) if "configure" in c]
            self.assertTrue(hints, err)
            for again in hints:  # the item's line and the "stopped sending" line
                self.assertEqual(again, ["pj-ats", "--profile", PROFILE, "configure", "lever",
                                         "--oauth"])
            # Running it (the browser step done by the test) makes the next send work.
            self.assertEqual(self.authorize(sandbox, home), 0)
            code, _, err = run_pjats(["--profile", PROFILE, "send", "1042", "--to", "lever"],
                                     home=home)
            self.assertEqual(code, 0, err)

    def test_a_token_that_expires_during_the_run_is_refreshed(self):
        # A 2 s lifetime, shorter than the pacer's queue of a bulk send: the run refreshes
        # as often as it needs and never asks for configure again.
        with Sandbox("--token-ttl", "2") as sandbox:
            home = make_home()
            export = make_home()
            os.makedirs(os.path.join(export, "candidates"))
            ids = ["9%03d" % i for i in range(40)]
            for cid in ids:
                with open(os.path.join(export, "candidates", cid + ".json"), "w") as f:
                    json.dump({"basics": {"name": "Candidate Number%s" % cid,
                                          "email": "c%s@example.com" % cid},
                               "meta": {"purposeJobs": {"id": cid}}}, f)
            run_pjats(["--profile", PROFILE, "configure", "source", "--dir", export], home=home)
            self.assertEqual(self.authorize(sandbox, home), 0)
            code, _, err = run_pjats(["--profile", PROFILE, "send", *ids, "--to", "lever"],
                                     home=home, timeout=scaled(300))
            self.assertEqual(code, 0, err)
            self.assertNotIn("configure lever", err)
            self.assertEqual(len(sandbox.state()["lever"]["opportunities"]), len(ids))


if __name__ == "__main__":
    unittest.main()
