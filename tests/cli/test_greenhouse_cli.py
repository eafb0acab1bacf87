"""End-to-end: the real pj-ats binary against the strict Greenhouse fake (issue: foundation)."""
import base64
import json
import os
import stat
import unittest

from harness import Sandbox, run_pjats, make_home, make_tls_ca, SandboxTestCase

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"


class GreenhouseCli(SandboxTestCase):

    def configure(self, key=GH_KEY, extra=()):
        code, out, err = self.pj("configure", "source", "--dir", SOURCE)
        self.assertEqual(code, 0, err)
        return self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                       "--base-url", self.sandbox.url, *extra, input=key)

    def candidates(self):
        return self.sandbox.state()["greenhouse"]["candidates"]

    def config_file(self):
        return os.path.join(self.home, "config", "pj-ats", "config.toml")

    # configure -------------------------------------------------------------------------

    def test_configure_verifies_and_stores_with_private_permissions(self):
        code, out, err = self.configure()
        self.assertEqual(code, 0, err)
        self.assertIn("acting as", out)
        self.assertIn(GH_EMAIL, out)
        self.assertNotIn(GH_KEY, out + err)
        mode = stat.S_IMODE(os.stat(self.config_file()).st_mode)
        self.assertEqual(mode, 0o600)
        dmode = stat.S_IMODE(os.stat(os.path.dirname(self.config_file())).st_mode)
        self.assertEqual(dmode, 0o700)
        with open(self.config_file()) as f:
            self.assertIn(GH_KEY, f.read())

    def test_configure_with_wrong_key_exits_4_and_saves_nothing(self):
        code, out, err = self.configure(key="not-the-key")
        self.assertEqual(code, 4, err)
        self.assertNotIn("not-the-key", out + err)
        with open(self.config_file()) as f:
            self.assertNotIn("greenhouse", f.read())

    def test_configure_with_unknown_on_behalf_of_exits_4(self):
        self.pj("configure", "source", "--dir", SOURCE)
        code, _, err = self.pj("configure", "greenhouse", "--email", "nobody@acme.example",
                               "--api-key-stdin", "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 4, err)

    def test_configure_without_key_and_without_tty_is_a_usage_error(self):
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL,
                               "--base-url", self.sandbox.url, "--no-input")
        self.assertEqual(code, 2, err)
        self.assertIn("--api-key-stdin", err)

    def test_configure_no_verify_makes_no_request(self):
        before = self.sandbox.state()["counters"]
        code, out, err = self.configure(extra=("--no-verify",))
        self.assertEqual(code, 0, err)
        self.assertEqual(self.sandbox.state()["counters"], before)

    def test_plain_http_to_a_remote_host_is_refused(self):
        self.pj("configure", "source", "--dir", SOURCE)
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                               "--base-url", "http://api.greenhouse.io", input=GH_KEY)
        self.assertEqual(code, 5, err)
        self.assertIn("https", err)

    def test_group_readable_config_is_refused_with_the_fix(self):
        self.assertEqual(self.configure()[0], 0)
        os.chmod(self.config_file(), 0o644)
        code, _, err = self.pj("send", "1042", "--to", "greenhouse")
        self.assertEqual(code, 5, err)
        self.assertIn("chmod 600", err)
        self.assertEqual(self.candidates(), [])

    # send ------------------------------------------------------------------------------

    def test_send_creates_a_prospect_without_pool(self):
        self.assertEqual(self.configure()[0], 0)
        code, out, err = self.pj("send", "1042", "--to", "greenhouse")
        self.assertEqual(code, 0, err)
        [created] = self.candidates()
        body = created["body"]
        self.assertIs(body["prospect"], True)
        self.assertEqual(body["external_id"], "1042")
        self.assertEqual((body["first_name"], body["last_name"]), ("Maya", "Okonkwo"))
        self.assertNotIn("job_id", body)
        self.assertNotIn("prospect_pool_id", body)
        self.assertIn(str(created["id"]), out)

    def test_send_with_job_creates_a_candidate_on_that_job(self):
        self.assertEqual(self.configure()[0], 0)
        code, _, err = self.pj("send", "1042", "--to", "greenhouse", "--job", "4690")
        self.assertEqual(code, 0, err)
        [created] = self.candidates()
        self.assertIs(created["body"]["prospect"], False)
        self.assertEqual(created["body"]["job_id"], 4690)

    def test_send_twice_skips_the_second_time_and_force_sends_again(self):
        self.assertEqual(self.configure()[0], 0)
        self.assertEqual(self.pj("send", "1042", "--to", "greenhouse")[0], 0)
        code, out, err = self.pj("send", "1042", "--to", "greenhouse")
        self.assertEqual(code, 0, err)
        self.assertIn("skipped", out)
        self.assertEqual(len(self.candidates()), 1)
        code, _, err = self.pj("send", "1042", "--to", "greenhouse", "--force")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.candidates()), 2)

    def test_unknown_job_is_rejected_with_the_field_named(self):
        self.assertEqual(self.configure()[0], 0)
        code, _, err = self.pj("send", "1042", "--to", "greenhouse", "--job", "9999")
        self.assertEqual(code, 6, err)
        self.assertIn("job_id", err)

    def test_unknown_candidate_id_exits_1(self):
        self.assertEqual(self.configure()[0], 0)
        code, _, err = self.pj("send", "777777", "--to", "greenhouse")
        self.assertEqual(code, 1, err)
        self.assertIn("777777", err)

    def test_path_traversal_id_is_refused(self):
        self.assertEqual(self.configure()[0], 0)
        code, _, err = self.pj("send", "../../etc/passwd", "--to", "greenhouse")
        self.assertEqual(code, 2, err)
        self.assertEqual(self.candidates(), [])

    def test_malformed_record_names_file_and_field(self):
        self.assertEqual(self.configure()[0], 0)
        bad = os.path.join(self.home, "bad.json")
        with open(bad, "w") as f:
            json.dump({"basics": {"name": "Ann Lee", "email": 5}, "meta": {"purposeJobs": {"id": "9"}}}, f)
        code, _, err = self.pj("send", "--file", bad, "--to", "greenhouse")
        self.assertEqual(code, 6, err)
        self.assertIn("basics.email", err)
        self.assertIn("bad.json", err)
        with open(bad, "w") as f:
            f.write("{not json")
        code, _, err = self.pj("send", "--file", bad, "--to", "greenhouse")
        self.assertEqual(code, 6, err)
        self.assertEqual(self.candidates(), [])

    def test_record_from_stdin(self):
        self.assertEqual(self.configure()[0], 0)
        record = json.dumps({"basics": {"name": "Ann Lee"}, "meta": {"purposeJobs": {"id": 77}}})
        code, _, err = self.pj("send", "--file", "-", "--to", "greenhouse", input=record)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.candidates()[0]["body"]["external_id"], "77")

    def test_dry_run_prints_the_body_and_sends_nothing(self):
        self.assertEqual(self.configure()[0], 0)
        code, out, err = self.pj("send", "1042", "--to", "greenhouse", "--job", "4690", "--dry-run")
        self.assertEqual(code, 0, err)
        self.assertIn("POST " + self.sandbox.url + "/v1/partner/candidates", out)
        self.assertIn('"prospect":false', out.replace(" ", ""))
        self.assertIn("On-Behalf-Of", out)
        self.assertNotIn(GH_KEY, out + err)
        self.assertNotIn(base64.b64encode((GH_KEY + ":").encode()).decode(), out + err)
        self.assertEqual(self.candidates(), [])

    def test_many_ids_with_one_bad_is_partial(self):
        self.assertEqual(self.configure()[0], 0)
        ids = os.path.join(self.home, "ids.txt")
        with open(ids, "w") as f:
            f.write("1042\n# comment\n\n1043\nmissing-1\n1044\n")
        code, out, err = self.pj("send", "--ids-from", ids, "--to", "greenhouse", "--json")
        self.assertEqual(code, 3, err)
        lines = [json.loads(l) for l in out.splitlines()]
        summary = lines[-1]["summary"]
        self.assertEqual((summary["sent"], summary["failed"]), (3, 1))
        self.assertEqual(sorted(c["body"]["external_id"] for c in self.candidates()),
                         ["1042", "1043", "1044"])

    def test_env_key_overrides_the_stored_key(self):
        self.assertEqual(self.configure()[0], 0)
        code, _, err = self.pj("send", "1042", "--to", "greenhouse",
                               env={"PJ_ATS_GREENHOUSE_API_KEY": "wrong-key"})
        self.assertEqual(code, 4, err)
        self.assertNotIn("wrong-key", err)

    def test_verbose_trace_redacts_key_and_email(self):
        self.assertEqual(self.configure()[0], 0)
        code, out, err = self.pj("send", "1042", "--to", "greenhouse", "-v")
        self.assertEqual(code, 0, err)
        self.assertIn("/v1/partner/candidates", err)
        for secret in (GH_KEY, base64.b64encode((GH_KEY + ":").encode()).decode(),
                       GH_EMAIL, "maya.okonkwo@example.com", "555-0142"):
            self.assertNotIn(secret, err)

    # network faults --------------------------------------------------------------------

    def test_503_before_processing_is_retried_once_created(self):
        self.assertEqual(self.configure()[0], 0)
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": "status", "status": 503, "retry_after": "0", "times": 2}])
        code, _, err = self.pj("send", "1042", "--to", "greenhouse")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.candidates()), 1)

    def test_connection_dropped_after_create_goes_to_review_not_duplicate(self):
        self.assertEqual(self.configure()[0], 0)
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": "drop_after", "times": 1}])
        code, _, err = self.pj("send", "1042", "--to", "greenhouse")
        self.assertEqual(code, 7, err)
        self.assertIn("review", err)
        self.assertEqual(len(self.candidates()), 1)
        code, _, err = self.pj("send", "1042", "--to", "greenhouse")
        self.assertNotEqual(code, 0)
        self.assertEqual(len(self.candidates()), 1, "a re-run must not duplicate")
        code, _, err = self.pj("send", "1042", "--to", "greenhouse", "--force")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.candidates()), 2)

    # jobs and revoke -------------------------------------------------------------------

    def test_jobs_lists_open_jobs(self):
        self.assertEqual(self.configure()[0], 0)
        code, out, err = self.pj("jobs")
        self.assertEqual(code, 0, err)
        self.assertIn("4690", out)
        code, out, err = self.pj("jobs", "--json")
        self.assertEqual(code, 0, err)
        jobs = json.loads(out)
        self.assertIn(4690, [j["id"] for j in jobs])

    def test_revoke_removes_the_key_and_names_the_dev_center_step(self):
        self.assertEqual(self.configure()[0], 0)
        code, out, err = self.pj("revoke", "greenhouse")
        self.assertEqual(code, 0, err)
        self.assertIn("Dev Center", out)
        with open(self.config_file()) as f:
            self.assertNotIn(GH_KEY, f.read())
        code, _, err = self.pj("send", "1042", "--to", "greenhouse")
        self.assertEqual(code, 5, err)


class GreenhouseHttps(unittest.TestCase):
    def test_https_with_a_private_ca(self):
        tls = make_tls_ca()
        with Sandbox(tls=tls) as sandbox:
            self.assertTrue(sandbox.url.startswith("https://127.0.0.1:"))
            home = make_home()
            run_pjats(["configure", "source", "--dir", SOURCE], home=home)
            args = ["configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                    "--base-url", sandbox.url]
            code, _, err = run_pjats(args, home=home, input=GH_KEY)
            self.assertEqual(code, 5, "an unknown CA must be refused: " + err)
            self.assertIn("TLS", err)
            code, out, err = run_pjats(args, home=home, input=GH_KEY,
                                       env={"CURL_CA_BUNDLE": tls["ca"]})
            self.assertEqual(code, 0, err)
            code, _, err = run_pjats(["send", "1042", "--to", "greenhouse"], home=home,
                                     env={"CURL_CA_BUNDLE": tls["ca"]})
            self.assertEqual(code, 0, err)
            self.assertEqual(len(sandbox.state()["greenhouse"]["candidates"]), 1)


if __name__ == "__main__":
    unittest.main()
