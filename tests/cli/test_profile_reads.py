"""End-to-end: each command reads the profile (the config file) once (issue 12).

Counts, with `strace -f -e trace=open,openat`, how often pj-ats opens its config file in
`send` (Greenhouse), `send --to lever` with OAuth, `sync` and `status`. A first run of
each does the one-time writes (ledger lineage, learnt identity); the counted run after it
must open the file exactly once. Skipped when strace is not installed.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import unittest
import urllib.request

from harness import (Sandbox, SandboxTestCase, make_home, pjats_command, pjats_env, run_pjats,
                     scaled)

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
EMAIL = "recruiter@acme.example"
LEVER_KEY = "lever_sandbox_6a1f0c"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
CLIENT_ID = "pjats-sandbox-client"
CLIENT_SECRET = "pjats-sandbox-secret"
JOB = "pj-job-77"

STRACE = shutil.which("strace")


def config_path(home):
    return os.path.join(home, "config", "pj-ats", "config.toml")


def config_opens(home, args, env=None, input=None):
    """Runs pj-ats under strace; returns (exit code, stdout, stderr, opens of the config)."""
    fd, trace = tempfile.mkstemp(prefix="pjats-strace-")
    os.close(fd)
    try:
        argv = [STRACE, "-f", "-qq", "-e", "trace=open,openat", "-o", trace]
        run_env = pjats_env(home, env)
        # LeakSanitizer cannot run under ptrace (the ASan build runs this suite too).
        asan = run_env.get("ASAN_OPTIONS", "")
        run_env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "detect_leaks=0"
        proc = subprocess.run(argv + pjats_command(args), input=input, capture_output=True,
                              text=True, env=run_env, timeout=scaled(120))
        with open(trace) as f:
            lines = f.read().splitlines()
    finally:
        os.unlink(trace)
    quoted = '"%s"' % config_path(home)
    opens = [line for line in lines if quoted in line and "= -1" not in line]
    return proc.returncode, proc.stdout, proc.stderr, opens


@unittest.skipIf(STRACE is None, "strace is not installed (scripts/install-deps.sh adds it)")
class ProfileReadOnce(SandboxTestCase):

    def assert_read_once(self, args, env=None):
        code, out, err, opens = config_opens(self.home, args, env=env)
        self.assertEqual(code, 0, out + err)
        self.assertEqual(len(opens), 1, "%s opened the config %d times:\n%s"
                         % (" ".join(args), len(opens), "\n".join(opens)))

    def test_send_to_greenhouse_reads_the_profile_once(self):
        self.assertEqual(self.pj("configure", "source", "--dir", SOURCE)[0], 0)
        code, _, err = self.pj("configure", "greenhouse", "--email", EMAIL, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("send", "1042", "--to", "greenhouse")
        self.assertEqual(code, 0, err)
        self.assert_read_once(["send", "1043", "--to", "greenhouse"])
        self.assert_read_once(["send", "1042", "1044", "--to", "greenhouse"])  # bulk
        self.assertEqual(len(self.sandbox.state()["greenhouse"]["candidates"]), 3)

    def test_sync_and_status_read_the_profile_once(self):
        export = make_home()
        folder = os.path.join(export, "applications", JOB)
        os.makedirs(folder)
        for i in (1, 2):
            with open(os.path.join(folder, "00%d.json" % i), "w") as f:
                json.dump({"basics": {"name": "Applicant Number%d" % i,
                                      "email": "applicant%d@example.com" % i},
                           "meta": {"purposeJobs": {"id": "a%d" % i}}}, f)
        self.assertEqual(self.pj("configure", "source", "--dir", export)[0], 0)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", EMAIL, input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.pj("link-job", JOB, PUBLISHED)[0], 0)
        code, _, err = self.pj("sync")
        self.assertEqual(code, 0, err)
        with open(os.path.join(folder, "003.json"), "w") as f:
            json.dump({"basics": {"name": "Applicant Number3", "email": "applicant3@example.com"},
                       "meta": {"purposeJobs": {"id": "a3"}}}, f)
        self.assert_read_once(["sync"])
        self.assertEqual(len(self.sandbox.state()["lever"]["opportunities"]), 3)
        self.assert_read_once(["status"])


@unittest.skipIf(STRACE is None, "strace is not installed (scripts/install-deps.sh adds it)")
class ProfileReadOnceOAuth(unittest.TestCase):

    def authorize(self, sandbox, home):
        """`configure lever --oauth`, opening the printed URL like a browser would."""
        args = pjats_command(["configure", "lever", "--oauth", "--client-id", CLIENT_ID,
                              "--client-secret-stdin", "--no-browser", "--auth-url", sandbox.url,
                              "--base-url", sandbox.url, "--perform-as-email", EMAIL])
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
            if match:
                url = match.group(1)
        self.assertIsNotNone(url)
        threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=scaled(10)).read(),
                         daemon=True).start()
        proc.wait(timeout=scaled(60))
        proc.stdout.close()
        proc.stderr.close()
        return proc.returncode

    def test_send_to_lever_with_oauth_reads_the_profile_once(self):
        with Sandbox("--token-ttl", "3600") as sandbox:
            home = make_home()
            self.assertEqual(run_pjats(["configure", "source", "--dir", SOURCE], home=home)[0], 0)
            self.assertEqual(self.authorize(sandbox, home), 0)
            code, _, err = run_pjats(["send", "1042", "--to", "lever"], home=home)
            self.assertEqual(code, 0, err)
            code, out, err, opens = config_opens(home, ["send", "1043", "--to", "lever"])
            self.assertEqual(code, 0, out + err)
            self.assertEqual(len(opens), 1, "\n".join(opens))
            opportunities = sandbox.state()["lever"]["opportunities"]
            self.assertEqual(len(opportunities), 2)
            self.assertTrue(all(o["credential"] == "oauth" for o in opportunities))


if __name__ == "__main__":
    unittest.main()
