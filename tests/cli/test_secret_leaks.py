"""End-to-end leak test (issue: hardening): secrets and candidate PII never escape.

Every command runs (success and failure paths, --verbose, --json, --dry-run) with known
sentinel secrets: the sandbox's own credentials for the paths that succeed (they are the
only ones it accepts) and made-up SENTINEL-* values for the paths that fail. No secret may
appear in stdout or stderr (raw, or as the base64 of a Basic credential), nor in any file
under the throwaway HOME except the profile itself (config.toml). The sentinel candidate's
email and phone may appear in the trace of a --verbose run only masked.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import threading
import unittest
import urllib.request

from harness import (SandboxTestCase, make_home, pjats_command, pjats_env, run_pjats,
                     scaled)

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")

# The sandbox's sample credentials: used where a run must succeed.
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER_EMAIL = "recruiter@acme.example"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
CLIENT_ID = "pjats-sandbox-client"
CLIENT_SECRET = "pjats-sandbox-secret"

# Made-up secrets: used where a run must fail.
FAKE_GH_KEY = "SENTINEL-GH-KEY-7f1e9"
FAKE_LEVER_KEY = "SENTINEL-LEVER-KEY-3c2d8"
FAKE_CLIENT_SECRET = "SENTINEL-CLIENT-SECRET-91ab4"
FAKE_SOURCE_TOKEN = "SENTINEL-SOURCE-TOKEN-55e07"

# Candidate PII.
CANDIDATE_ID = "sentinel-9001"
PII_EMAIL = "sentinel.person@example.com"
PII_PHONE = "+1 415 555 0123"
PII_FORMS = (PII_EMAIL, "sentinel.person", PII_PHONE, "415 555 0123", "4155550123",
             "555 0123", "555-0123", "5550123")


def basic(user):
    return base64.b64encode((user + ":").encode()).decode()


def secret_forms(secret):
    """The raw secret and the ways a transport would carry it."""
    return (secret, basic(secret), base64.b64encode(secret.encode()).decode().rstrip("="))


def write_source(root):
    """The example export plus one candidate carrying the sentinel PII."""
    shutil.copytree(SOURCE, root)
    record = {
        "basics": {
            "name": "Sentinel Person",
            "label": "Engineer",
            "email": PII_EMAIL,
            "phone": PII_PHONE,
            "location": {"city": "Oakland", "countryCode": "US"},
        },
        "meta": {"purposeJobs": {"id": CANDIDATE_ID}},
    }
    with open(os.path.join(root, "candidates", CANDIDATE_ID + ".json"), "w") as f:
        json.dump(record, f)
    return record


def write_secret_file(directory, name, value):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(value + "\n")
    os.chmod(path, 0o600)
    return path


def write_helper(directory, name, value):
    """A credential helper program printing `value`."""
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\nprintf '%%s\\n' '%s'\n" % value)
    os.chmod(path, 0o700)
    return path


class SecretLeaks(SandboxTestCase):
    sandbox_args = ("--token-ttl", "3600")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _, out, _ = run_pjats(["--help"])
        cls.commands = set(re.findall(r"^  ([a-z][a-z-]+)\s", out, re.M))

    def setUp(self):
        super().setUp()
        self.outside = make_home()  # key files and helpers live outside HOME
        os.makedirs(os.path.join(self.home, "tmp"))
        self.source = os.path.join(self.outside, "export")
        write_source(self.source)
        self.secrets = [GH_KEY, LEVER_KEY, CLIENT_SECRET, FAKE_GH_KEY, FAKE_LEVER_KEY,
                        FAKE_CLIENT_SECRET, FAKE_SOURCE_TOKEN]
        self.runs = []

    # running and checking --------------------------------------------------------------

    def config_file(self):
        return os.path.join(self.home, "config", "pj-ats", "config.toml")

    def pj(self, *args, input=None, env=None, expect=None):
        """Runs pj-ats, checks its output for secrets at once and remembers it."""
        full_env = {"TMPDIR": os.path.join(self.home, "tmp")}
        full_env.update(env or {})
        code, out, err = run_pjats(list(args), home=self.home, input=input, env=full_env)
        label = " ".join(args)
        if expect is not None:
            self.assertEqual(code, expect, "%s: exit %d\n%s" % (label, code, err))
        self.check_streams(label, out, err)
        self.runs.append((label, code))
        return code, out, err

    def check_streams(self, label, out, err):
        for secret in self.secrets:
            for form in secret_forms(secret):
                self.assertNotIn(form, out, "%s: secret on stdout" % label)
                self.assertNotIn(form, err, "%s: secret on stderr" % label)
        # Candidate PII never reaches stderr (traces, warnings, errors) unmasked.
        for form in PII_FORMS:
            self.assertNotIn(form, err, "%s: unmasked PII on stderr" % label)

    def check_files(self):
        """No secret in any file under HOME except the profile itself."""
        config = os.path.realpath(self.config_file())
        scanned = 0
        for root, _, files in os.walk(self.home):
            for name in files:
                path = os.path.join(root, name)
                if os.path.realpath(path) == config or os.path.islink(path):
                    continue
                with open(path, "rb") as f:
                    data = f.read()
                scanned += 1
                for secret in self.secrets:
                    for form in secret_forms(secret):
                        self.assertNotIn(form.encode(), data,
                                         "secret %r found in %s" % (secret[:6], path))
        return scanned

    def assert_masked_pii_in_trace(self, err):
        """A -v trace of a send shows the sentinel email masked, never raw."""
        self.assertNotIn(PII_EMAIL, err)
        self.assertRegex(err, r"s\*+@example\.com")

    def configure_source(self):
        self.pj("configure", "source", "--dir", self.source, expect=0)

    def profile_secret(self, key):
        with open(self.config_file()) as f:
            match = re.search(r'^%s = "([^"]+)"' % key, f.read(), re.M)
        return match.group(1) if match else None

    # Greenhouse ------------------------------------------------------------------------

    def test_greenhouse_commands_leak_nothing(self):
        url = self.sandbox.url
        self.configure_source()
        gh = ("configure", "greenhouse", "--email", GH_EMAIL, "--base-url", url)

        # Failures first: wrong keys from stdin, a file, a helper, the environment.
        self.pj(*gh, "--api-key-stdin", input=FAKE_GH_KEY, expect=4)
        self.pj("-v", *gh, "--api-key-stdin", input=FAKE_GH_KEY, expect=4)
        bad_file = write_secret_file(self.outside, "gh-bad.key", FAKE_GH_KEY)
        self.pj("--json", *gh, "--api-key-file", bad_file, expect=4)
        bad_helper = write_helper(self.outside, "gh-bad-helper", FAKE_GH_KEY)
        self.pj(*gh, "--api-key-command", bad_helper, expect=4)

        # Success paths with the real key: file, helper, then stdin (stored).
        good_file = write_secret_file(self.outside, "gh.key", GH_KEY)
        self.pj("-v", *gh, "--api-key-file", good_file, expect=0)
        good_helper = write_helper(self.outside, "gh-helper", GH_KEY)
        self.pj(*gh, "--api-key-command", good_helper, expect=0)
        self.pj("send", CANDIDATE_ID, "--to", "greenhouse", "-v", expect=0)
        self.pj(*gh, "--api-key-stdin", input=GH_KEY, expect=0)

        self.pj("jobs", expect=0)
        self.pj("jobs", "--json", expect=0)
        self.pj("-v", "jobs", expect=0)
        self.pj("send", CANDIDATE_ID, "--to", "greenhouse", "--dry-run", "-v", expect=0)
        self.pj("send", CANDIDATE_ID, "--to", "greenhouse", "--dry-run", "--json", expect=0)
        _, _, err = self.pj("-v", "send", CANDIDATE_ID, "--to", "greenhouse", "--force",
                            expect=0)
        self.assert_masked_pii_in_trace(err)
        self.pj("--json", "send", CANDIDATE_ID, "--to", "greenhouse", "--force", expect=0)
        self.pj("send", CANDIDATE_ID, "--to", "greenhouse", expect=None)  # already sent
        record = os.path.join(self.source, "candidates", CANDIDATE_ID + ".json")
        with open(record) as f:
            self.pj("-v", "send", "--file", "-", "--to", "greenhouse", "--force",
                    input=f.read(), expect=0)

        # API failures: unknown job (rejected), 503 then success, 500 (unknown outcome),
        # a wrong key from the environment.
        self.pj("-v", "send", CANDIDATE_ID, "--to", "greenhouse", "--job", "9999", "--force",
                expect=6)
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": "status", "status": 503, "retry_after": "0",
                              "times": 1}])
        self.pj("-v", "send", CANDIDATE_ID, "--to", "greenhouse", "--force", expect=0)
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": "status", "status": 500, "times": 1}])
        self.pj("-v", "--json", "send", CANDIDATE_ID, "--to", "greenhouse", "--force",
                expect=7)
        self.sandbox.faults([])
        self.sandbox.faults([{"method": "GET", "path": "/v1/partner/jobs",
                              "action": "status", "status": 503, "retry_after": "0",
                              "times": 1}])
        self.pj("-v", "jobs", expect=0)
        self.sandbox.faults([])
        env = {"PJ_ATS_GREENHOUSE_API_KEY": FAKE_GH_KEY}
        self.pj("-v", "send", CANDIDATE_ID, "--to", "greenhouse", "--force", env=env, expect=4)
        self.pj("--json", "jobs", env=env, expect=4)

        self.extra_commands()
        self.pj("revoke", "greenhouse", expect=0)
        self.pj("-v", "send", CANDIDATE_ID, "--to", "greenhouse", expect=5)
        self.assertGreater(self.check_files(), 0, "the ledger should exist")

    # Lever (API key) -------------------------------------------------------------------

    def test_lever_api_key_commands_leak_nothing(self):
        url = self.sandbox.url
        self.configure_source()
        lv = ("configure", "lever", "--base-url", url, "--perform-as-email", RECRUITER_EMAIL)

        self.pj(*lv, "--api-key-stdin", input=FAKE_LEVER_KEY, expect=4)
        self.pj("-v", "--json", *lv, "--api-key-stdin", input=FAKE_LEVER_KEY, expect=4)
        bad_file = write_secret_file(self.outside, "lever-bad.key", FAKE_LEVER_KEY)
        self.pj(*lv, "--api-key-file", bad_file, expect=4)
        bad_helper = write_helper(self.outside, "lever-bad-helper", FAKE_LEVER_KEY)
        self.pj("-v", *lv, "--api-key-command", bad_helper, expect=4)
        # configure lever saves the credentials before it verifies them: start clean.
        self.pj("revoke", "lever", expect=None)

        good_file = write_secret_file(self.outside, "lever.key", LEVER_KEY)
        self.pj(*lv, "--api-key-file", good_file, expect=0)
        good_helper = write_helper(self.outside, "lever-helper", LEVER_KEY)
        self.pj("-v", *lv, "--api-key-command", good_helper, expect=0)
        self.pj("postings", expect=0)
        self.pj(*lv, "--api-key-stdin", input=LEVER_KEY, expect=0)

        self.pj("postings", "--format", "json", expect=0)
        self.pj("-v", "postings", "--format", "jsonld", "--organization", "Acme", expect=0)
        self.pj("link-job", "pj-job-77", PUBLISHED, expect=0)
        self.pj("-v", "link-job", "pj-job-88", "no-such-posting", expect=None)
        self.pj("link-job", "--list", "--json", expect=0)
        self.pj("send", CANDIDATE_ID, "--to", "lever", "--dry-run", expect=0)
        self.pj("-v", "--json", "send", CANDIDATE_ID, "--to", "lever", "--dry-run", expect=0)
        _, _, err = self.pj("-v", "send", CANDIDATE_ID, "--to", "lever", expect=0)
        self.assert_masked_pii_in_trace(err)
        self.pj("--json", "send", CANDIDATE_ID, "--to", "lever", "--posting", PUBLISHED,
                "--force", expect=0)

        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "status", "status": 503, "retry_after": "0",
                              "times": 1}])
        self.pj("-v", "send", CANDIDATE_ID, "--to", "lever", "--force", expect=0)
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "status", "status": 500, "times": 1}])
        # A 500 leaves the outcome unknown: pj-ats looks the opportunity up (by the
        # candidate's email) to reconcile, so the exit status depends on the sandbox.
        self.pj("-v", "send", CANDIDATE_ID, "--to", "lever", "--force", expect=None)
        self.sandbox.faults([])
        env = {"PJ_ATS_LEVER_API_KEY": FAKE_LEVER_KEY}
        self.pj("-v", "send", CANDIDATE_ID, "--to", "lever", "--force", env=env, expect=4)
        self.pj("-v", "postings", env=env, expect=4)

        self.extra_commands()
        self.pj("revoke", "lever", expect=0)
        self.pj("-v", "postings", expect=5)
        self.assertGreater(self.check_files(), 0)

    # Lever (OAuth) ---------------------------------------------------------------------

    def authorize(self, secret):
        """`configure lever --oauth`, opening the printed URL like a browser would."""
        args = pjats_command(["-v", "configure", "lever", "--oauth", "--client-id", CLIENT_ID,
                              "--client-secret-stdin", "--no-browser",
                              "--auth-url", self.sandbox.url, "--base-url", self.sandbox.url,
                              "--perform-as-email", RECRUITER_EMAIL, "--timeout", "30"])
        env = pjats_env(self.home, {"TMPDIR": os.path.join(self.home, "tmp")})
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        proc.stdin.write(secret)
        proc.stdin.close()
        seen = []
        url = None
        while url is None:
            line = proc.stderr.readline()
            if not line:
                break
            seen.append(line)
            match = re.search(r"(https?://\S+/authorize\?\S+)", line)
            if match:
                url = match.group(1)
        if url:
            threading.Thread(target=lambda: self.open_quietly(url), daemon=True).start()
        proc.wait(timeout=scaled(60))
        out, err = proc.stdout.read(), "".join(seen) + proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        self.check_streams("configure lever --oauth", out, err)
        return proc.returncode

    @staticmethod
    def open_quietly(url):
        try:
            urllib.request.urlopen(url, timeout=scaled(10)).read()
        except OSError:
            pass

    def test_lever_oauth_commands_leak_nothing(self):
        self.configure_source()
        self.assertNotEqual(self.authorize(FAKE_CLIENT_SECRET), 0)
        self.assertEqual(self.authorize(CLIENT_SECRET), 0)
        for key in ("access_token", "refresh_token"):
            token = self.profile_secret(key)
            self.assertTrue(token, key + " not stored")
            self.secrets.append(token)

        self.pj("-v", "send", CANDIDATE_ID, "--to", "lever", expect=0)
        # An expired access token: the run refreshes (rotating both tokens) in the trace.
        self.sandbox.expire_tokens()
        self.pj("-v", "--json", "postings", expect=0)
        for key in ("access_token", "refresh_token"):
            self.secrets.append(self.profile_secret(key))
        self.pj("-v", "send", CANDIDATE_ID, "--to", "lever", "--force", "--dry-run", expect=0)
        env = {"PJ_ATS_LEVER_CLIENT_SECRET": FAKE_CLIENT_SECRET}
        self.sandbox.expire_tokens()
        self.pj("-v", "postings", env=env, expect=None)

        self.extra_commands()
        self.pj("revoke", "lever", expect=0)
        self.assertGreater(self.check_files(), 0)

    # Source token ----------------------------------------------------------------------

    def test_source_token_leaks_nothing(self):
        # A URL source on a closed loopback port: every use of the token fails.
        closed = "http://127.0.0.1:9/"
        self.pj("configure", "source", "--url", closed, "--token-stdin",
                input=FAKE_SOURCE_TOKEN, expect=None)
        token_file = write_secret_file(self.outside, "source.token", FAKE_SOURCE_TOKEN)
        self.pj("-v", "configure", "source", "--url", closed, "--token-file", token_file,
                expect=None)
        self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--base-url", self.sandbox.url,
                "--api-key-stdin", input=GH_KEY, expect=0)
        self.pj("-v", "send", CANDIDATE_ID, "--to", "greenhouse", expect=None)
        self.pj("-v", "--json", "send", CANDIDATE_ID, "--to", "greenhouse", "--dry-run",
                env={"PJ_ATS_SOURCE_TOKEN": FAKE_SOURCE_TOKEN}, expect=None)
        self.extra_commands()
        self.check_files()

    # Commands added later (status, sync) -----------------------------------------------

    def extra_commands(self):
        if "status" in self.commands:
            self.pj("status", expect=None)
            self.pj("-v", "--json", "status", expect=None)
        if "sync" in self.commands:
            self.pj("-v", "sync", "--dry-run", expect=None)
            self.pj("--json", "sync", expect=None)


if __name__ == "__main__":
    unittest.main()
