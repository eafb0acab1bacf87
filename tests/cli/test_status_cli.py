"""End-to-end: `pj-ats status`, the doctor, against the sandbox."""
import json
import os
import pty
import re
import select
import subprocess
import unittest

from harness import (Sandbox, run_pjats, make_home, pjats_env, pjats_command, scaled,
                     SandboxTestCase)

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER_ID = "7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61"
CLIENT_ID = "pjats-sandbox-client"
CLIENT_SECRET = "pjats-sandbox-secret"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LINE = re.compile(r"^(ok|warn|FAIL)  +([a-z_.]+): ")


def run_in_pty(args, env):
    """Runs pj-ats with stdout on a pseudo-terminal; returns (exit code, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(pjats_command(args), stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], scaled(60))
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.wait(timeout=scaled(60))
    proc.stderr.close()
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


class StatusCli(SandboxTestCase):

    def configure(self, greenhouse=True, lever=True):
        code, _, err = self.pj("configure", "source", "--dir", SOURCE)
        self.assertEqual(code, 0, err)
        if greenhouse:
            code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL,
                                   "--api-key-stdin", "--base-url", self.sandbox.url, input=GH_KEY)
            self.assertEqual(code, 0, err)
        if lever:
            code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                                   self.sandbox.url, "--perform-as-email", GH_EMAIL,
                                   input=LEVER_KEY)
            self.assertEqual(code, 0, err)

    def config_file(self):
        return os.path.join(self.home, "config", "pj-ats", "config.toml")

    def lines(self, out):
        """{check name: [status words]} of the text output; every check line is well formed."""
        found = {}
        for line in out.splitlines():
            match = LINE.match(line)
            if match:
                found.setdefault(match.group(2), []).append(match.group(1))
            else:
                self.assertTrue(line.startswith("  fix: ") or line.endswith("."),
                                "unexpected line: %r" % line)
        return found

    def assert_one_story(self, args, code, out, env=None):
        """The last line, the exit code and --json's verdict tell the same story."""
        last = out.rstrip("\n").splitlines()[-1]
        self.assertTrue(last.endswith("(exit %d)." % code), (last, code))
        verdict = {0: "ok", 3: "attention"}.get(code, "broken")
        self.assertIn({"ok": "nothing needs a person", "attention": "sends need a person: ",
                       "broken": "broken: "}[verdict], last)
        jcode, jout, _ = self.pj("--json", *args, env=env)
        data = json.loads(jout)
        self.assertEqual(jcode, code)
        self.assertEqual((data["verdict"], data["exit_code"], data["summary"]),
                         (verdict, code, last))
        if verdict == "ok":
            self.assertEqual(data["needs_person"], [])
        for name in data["needs_person"]:
            self.assertIn(name, last)  # the line says why
        problems = [c["name"] for c in data["checks"] if c["status"] == "fail"]
        self.assertEqual(data["ok"], not problems)
        return last

    def test_healthy_profile_exits_0_with_ok_lines(self):
        self.configure()
        code, out, err = self.pj("status")
        self.assertEqual(code, 0, out + err)
        checks = self.lines(out)
        for name in ("config", "profile", "source", "greenhouse.key", "greenhouse.email",
                     "greenhouse.live", "lever.auth", "lever.perform_as", "lever.live",
                     "ledger", "last_sync"):
            self.assertEqual(checks.get(name), ["ok"], (name, out))
        self.assertNotIn("FAIL", out)
        self.assertIn("acting as Riley Recruiter", out)
        self.assertIn(RECRUITER_ID, out)
        self.assertIn("stored in the profile", out)
        self.assertEqual(self.assert_one_story(["status"], code, out),
                         "All checks passed; nothing needs a person (exit 0).")

    def test_a_target_the_profile_does_not_use_is_not_a_warning(self):
        self.configure(lever=False)
        code, out, err = self.pj("status")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.lines(out)["lever"], ["ok"])
        self.assertIn("lever: not configured (not used", out)
        # A Lever-only profile: no permanent `warn greenhouse: not configured`.
        home = self.home
        self.home = make_home()
        self.configure(greenhouse=False)
        code, out, err = self.pj("status", "--offline")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.lines(out)["greenhouse"], ["ok"])
        self.assertIn("greenhouse: not configured (not used", out)
        self.home = home

    def test_warnings_alone_exit_0_and_say_so(self):
        self.configure(greenhouse=False)
        self.assertEqual(self.pj("link-job", "pj-job-77",
                                 "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456")[0], 0)
        self.sandbox.control("POST", "lever/postings",
                             {"id": "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456", "state": "closed"})
        code, out, err = self.pj("status")
        self.assertEqual(code, 0, out + err)
        self.assertIn("warn", out)
        last = self.assert_one_story(["status"], code, out)
        self.assertRegex(last, r"^0 failures, \d+ warnings?; nothing needs a person \(exit 0\)\.$")

    def test_nothing_configured_is_a_config_failure(self):
        code, out, _ = self.pj("status")
        self.assertEqual(code, 5, out)
        self.assertIn("fix: pj-ats configure source --dir PATH", out)
        self.configure(greenhouse=False, lever=False)
        code, out, _ = self.pj("status")
        self.assertEqual(code, 5, out)
        self.assertEqual(self.lines(out)["targets"], ["FAIL"])
        last = self.assert_one_story(["status"], code, out)
        self.assertIn("broken: targets", last)

    def test_group_readable_config_fails_with_the_chmod_fix(self):
        self.configure()
        os.chmod(self.config_file(), 0o640)
        code, out, _ = self.pj("status")
        self.assertEqual(code, 5, out)
        self.assertEqual(self.lines(out)["config"], ["FAIL"])
        self.assertIn("fix: chmod 600 " + self.config_file(), out)

    def test_wrong_greenhouse_key_exits_4_with_the_configure_fix(self):
        self.configure()
        with open(self.config_file()) as f:
            text = f.read()
        with open(self.config_file(), "w") as f:
            f.write(text.replace(GH_KEY, "gh_wrong_key"))
        code, out, err = self.pj("status")
        self.assertEqual(code, 4, out + err)
        self.assertEqual(self.lines(out)["greenhouse.live"], ["FAIL"])
        self.assertRegex(out, r"fix: printf '%s' \"\$KEY\" \| pj-ats configure greenhouse "
                              r"--email recruiter@acme\.example --api-key-stdin")
        self.assertNotIn("gh_wrong_key", out + err)

    def test_key_from_environment_is_named(self):
        self.configure()
        code, out, _ = self.pj("status", env={"PJ_ATS_GREENHOUSE_API_KEY": GH_KEY})
        self.assertEqual(code, 0, out)
        self.assertIn("greenhouse.key: present, from $PJ_ATS_GREENHOUSE_API_KEY", out)
        code, out, _ = self.pj("--json", "status", env={"PJ_ATS_GREENHOUSE_API_KEY": GH_KEY})
        key = json.loads(out)["greenhouse"]["key"]
        self.assertEqual(key, {"present": True, "origin": "environment",
                               "where": "PJ_ATS_GREENHOUSE_API_KEY"})

    def test_offline_makes_no_requests(self):
        self.configure()
        before = self.sandbox.state()["counters"]
        code, out, err = self.pj("status", "--offline")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.sandbox.state()["counters"], before)
        self.assertIn("greenhouse.live: not checked (--offline)", out)
        self.assertIn("lever.live: not checked (--offline)", out)
        # Without --offline the live checks do reach the sandbox.
        self.pj("status")
        self.assertNotEqual(self.sandbox.state()["counters"], before)

    def test_secrets_never_appear(self):
        self.configure()
        for args in (["status"], ["--json", "status"], ["-v", "status"]):
            code, out, err = self.pj(*args)
            self.assertEqual(code, 0, out + err)
            for secret in (GH_KEY, LEVER_KEY):
                self.assertNotIn(secret, out + err, args)

    def test_review_rows_are_listed_with_the_resolve_fix(self):
        self.configure()
        # A create whose response is lost leaves the outcome unknown; Greenhouse cannot be
        # searched, so the send is marked for review.
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": "drop_after", "times": 1}])
        self.pj("send", "1042", "--to", "greenhouse", "--job", "4690")
        code, out, _ = self.pj("status")
        self.assertEqual(code, 3, out)  # a send awaits a person: cron must notice
        self.assertIn("sends need a person: ledger.review (exit 3).",
                      self.assert_one_story(["status"], code, out))
        self.assertIn("warn  ledger.review: 1042 -> greenhouse job:4690", out)
        self.assertIn("pj-ats ledger resolve 1042 --to greenhouse --job 4690 --found "
                      "CANDIDATE_ID (or --not-sent", out)
        data = json.loads(self.pj("--json", "status")[1])
        self.assertEqual(data["ledger"]["counts"]["review"], 1)
        self.assertEqual(data["ledger"]["review"][0]["candidate_id"], "1042")

    def test_failed_sends_are_named_and_the_last_sync_counted(self):
        export = make_home()
        folder = os.path.join(export, "applications", "pj-job-77")
        os.makedirs(folder)
        ids = ["10%02d" % i for i in range(7)]
        for i, cid in enumerate(ids):
            with open(os.path.join(folder, "%03d.json" % i), "w") as f:
                json.dump({"basics": {"name": "Plato", "email": "p%s@example.com" % cid},
                           "meta": {"purposeJobs": {"id": cid}}}, f)  # one-word name: rejected
        self.assertEqual(self.pj("configure", "source", "--dir", export)[0], 0)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", GH_EMAIL, input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        published = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
        self.assertEqual(self.pj("link-job", "pj-job-77", published)[0], 0)
        code, out, err = self.pj("sync")
        self.assertEqual(code, 6, out + err)
        code, out, err = self.pj("status", "--offline")
        self.assertEqual(code, 3, out + err)  # failed sends need a person
        self.assertRegex(self.assert_one_story(["status", "--offline"], code, out),
                         r"^0 failures, \d+ warnings?; sends need a person: ledger.failed "
                         r"\(exit 3\)\.$")
        self.assertEqual(self.lines(out)["ledger.failed"], ["warn"])
        named = ", ".join("%s -> lever posting:%s" % (cid, published) for cid in ids[:5])
        self.assertIn("ledger.failed: 7 sends failed: " + named + " … and 2 more; see "
                      "`pj-ats ledger list --state failed`", out)
        self.assertRegex(out, r"ok    last_sync: .*\(\d+ s ago\): 1 job, 7 applications, "
                              r"7 failed")
        data = json.loads(self.pj("--json", "status", "--offline")[1])
        self.assertEqual(sorted(f["candidate_id"] for f in data["ledger"]["failed"]), ids)
        self.assertTrue(all("name" in f["error"] for f in data["ledger"]["failed"]))
        self.assertEqual(data["ledger"]["pending"], [])
        self.assertEqual(data["last_sync_counts"]["failed"], 7)
        self.assertEqual(data["last_sync_counts"]["sent"], 0)

    def test_a_linked_posting_that_closed_is_shown(self):
        self.configure(greenhouse=False)
        published = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
        self.assertEqual(self.pj("link-job", "pj-job-77", published)[0], 0)
        code, out, err = self.pj("status")
        self.assertEqual(code, 0, out + err)
        self.assertNotIn("link.posting", out)
        self.sandbox.control("POST", "lever/postings", {"id": published, "state": "closed"})
        code, out, err = self.pj("status")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.lines(out)["link.posting"], ["warn"])
        self.assertIn("Purpose Jobs job pj-job-77: Lever posting %s is 'closed'" % published, out)
        self.assertIn("fix: link the job to an open posting (pj-ats link-job pj-job-77 "
                      "LEVER_POSTING_ID), or unlink it (pj-ats link-job --remove pj-job-77)", out)
        # --offline asks nothing.
        code, out, err = self.pj("status", "--offline")
        self.assertNotIn("link.posting", out)

    def test_json_shape(self):
        self.configure()
        code, out, err = self.pj("--json", "status")
        self.assertEqual(code, 0, err)
        data = json.loads(out)
        for key in ("profile", "config", "source", "greenhouse", "lever", "links", "ledger",
                    "last_sync", "checks", "ok"):
            self.assertIn(key, data)
        self.assertIs(data["ok"], True)
        self.assertEqual(data["config"]["mode"], "0600")
        self.assertEqual(data["profile"]["name"], "default")
        self.assertEqual(data["lever"]["auth"], "api_key")
        self.assertEqual(data["lever"]["base_url_origin"], "stored")  # configured --base-url
        self.assertEqual(data["greenhouse"]["live"]["user"]["email"], GH_EMAIL)
        self.assertEqual(set(data["ledger"]["counts"]), {"pending", "sent", "failed", "review"})
        self.assertIsNone(data["last_sync"])
        self.assertIsNone(data["last_sync_counts"])
        self.assertEqual((data["ledger"]["failed"], data["ledger"]["pending"]), ([], []))
        for check in data["checks"]:
            self.assertIn(check["status"], ("ok", "warn", "fail"))
            self.assertEqual(set(check), {"name", "status", "detail", "fix"})
        self.assertNotIn("\x1b", out)
        # The origin comes from the command's Settings: the environment wins.
        code, out, err = self.pj("--json", "status", "--offline",
                                 env={"PJ_ATS_GREENHOUSE_URL": self.sandbox.url})
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["greenhouse"]["base_url_origin"], "env")

    def test_no_color_is_respected_on_a_terminal(self):
        self.configure()
        env = pjats_env(self.home)
        env["TERM"] = "xterm"
        env.pop("NO_COLOR", None)
        code, colored = run_in_pty(["status", "--offline"], env)
        self.assertEqual(code, 0, colored)
        self.assertRegex(colored, r"\x1b\[[0-9;]*mok\x1b\[0m")
        self.assertIn("config:", ANSI.sub("", colored))
        env["NO_COLOR"] = "1"
        code, plain = run_in_pty(["status", "--offline"], env)
        self.assertEqual(code, 0, plain)
        self.assertNotIn("\x1b", plain)
        self.assertEqual(ANSI.sub("", colored), plain)
        # Not a terminal: no colour either.
        _, piped, _ = self.pj("status", "--offline")
        self.assertNotIn("\x1b", piped)


class StatusOAuth(unittest.TestCase):
    def test_oauth_token_expiry_and_refresh(self):
        from test_lever_cli import LeverOAuth
        with Sandbox("--token-ttl", "3600") as sandbox:
            home = make_home()
            run_pjats(["configure", "source", "--dir", SOURCE], home=home)
            code, out, err = LeverOAuth.authorize(self, sandbox, home)
            self.assertEqual(code, 0, err)
            code, out, err = run_pjats(["status", "--offline"], home=home)
            self.assertEqual(code, 0, out + err)
            self.assertRegex(out, r"ok    lever\.token: access token expires in (59|60) min")
            self.assertIn("lever.refresh_token: present", out)
            self.assertIn("lever.client_secret: present, stored in the profile", out)
            # Expire the stored token locally: status says it will refresh, and the live
            # check does refresh it.
            cfg = os.path.join(home, "config", "pj-ats", "config.toml")
            with open(cfg) as f:
                text = f.read()
            with open(cfg, "w") as f:
                f.write(re.sub(r"expires_at = \d+", "expires_at = 1000", text))
            sandbox.expire_tokens()
            code, out, err = run_pjats(["status"], home=home)
            self.assertEqual(code, 0, out + err)
            self.assertRegex(out, r"lever\.token: access token expired .* ago, will refresh")
            self.assertIn("lever.live: performing as", out)
            self.assertEqual(sandbox.state()["oauth"]["refreshes"], 1)
            code, out, _ = run_pjats(["--json", "status", "--offline"], home=home)
            oauth = json.loads(out)["lever"]["oauth"]
            self.assertGreater(oauth["expires_in_seconds"], 3000)
            self.assertIs(oauth["refresh_token_present"], True)
            for secret in (CLIENT_SECRET,):
                self.assertNotIn(secret, out)
            with open(cfg) as f:
                for token in re.findall(r'(?:access|refresh)_token = "([^"]+)"', f.read()):
                    self.assertNotIn(token, out)


if __name__ == "__main__":
    unittest.main()
