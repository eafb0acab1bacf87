"""End-to-end: the services of one command share one transport stack (issue 12).

A url source's requests go through the command's transports, so `-v` shows them (before,
the source had a curl transport of its own, outside the trace and the pacing); and `sync`
publishes Lever's postings with the same Lever session it sends with (its key helper runs
once), within Lever's limit.
"""
import os
import unittest

from harness import Sandbox, make_home, run_pjats

LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER_EMAIL = "recruiter@acme.example"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
JOB = "pj-job-77"
SOURCE_TOKEN = "pj_sandbox_token"


def record(cid):
    return {"basics": {"name": "Applicant Number%s" % cid,
                       "email": "applicant%s@example.com" % cid},
            "meta": {"purposeJobs": {"id": cid}}}


class SharedServices(unittest.TestCase):

    def test_url_source_requests_are_traced_and_paced_with_the_rest(self):
        with Sandbox("--lever-rate", "10", "--lever-burst", "20") as sandbox:
            entries = [{"id": "app-%d" % i, "cursor": "c%02d" % i, "candidate": record("u%d" % i)}
                       for i in range(25)]
            sandbox.control("POST", "pj/applications", {"job_id": JOB, "applications": entries})
            home = make_home()
            code, _, err = run_pjats(["configure", "source", "--url", sandbox.url + "/pj"],
                                     home=home)
            self.assertEqual(code, 0, err)
            # The key comes from a helper that counts its runs.
            runs = os.path.join(home, "helper-runs")
            helper = "echo run >> '%s'; echo %s" % (runs, LEVER_KEY)
            code, _, err = run_pjats(["configure", "lever", "--api-key-command", helper,
                                      "--base-url", sandbox.url,
                                      "--perform-as-email", RECRUITER_EMAIL], home=home)
            self.assertEqual(code, 0, err)
            self.assertEqual(run_pjats(["link-job", JOB, PUBLISHED], home=home)[0], 0)
            self.assertEqual(run_pjats(["configure", "organization", "Acme"], home=home)[0], 0)
            open(runs, "w").close()

            env = {"PJ_ATS_SOURCE_TOKEN": SOURCE_TOKEN}
            code, out, err = run_pjats(["-v", "sync"], home=home, env=env)
            self.assertEqual(code, 0, out + err)
            # The source's requests are in the trace, its token is not.
            self.assertRegex(err, r"> GET \S*/pj/jobs/%s/applications" % JOB)
            self.assertNotIn(SOURCE_TOKEN, err)
            state = sandbox.state()
            self.assertEqual(len(state["lever"]["opportunities"]), 25)
            # Sends, the postings listing and publishing held to Lever's limit together.
            self.assertEqual(state["counters"]["rate_limited"], 0)
            jobs = state["purpose_jobs"]["jobs"]
            self.assertIn(PUBLISHED, [j["identifier"]["value"] for j in jobs])
            # One Lever session for the sends and the publishing: the helper ran once.
            with open(runs) as f:
                self.assertEqual(f.read().count("run"), 1)

            # `send` reads the source through the same stack: its request is traced too.
            code, out, err = run_pjats(["-v", "send", "u3", "--to", "lever", "--posting",
                                        PUBLISHED], home=home, env=env)
            self.assertEqual(code, 0, out + err)
            self.assertRegex(err, r"> GET \S*/pj/candidates/u3")
            self.assertNotIn(SOURCE_TOKEN, err)
            self.assertEqual(len(sandbox.state()["lever"]["opportunities"]), 25)


if __name__ == "__main__":
    unittest.main()
