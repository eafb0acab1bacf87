"""End-to-end: commands of one key on one machine share one rate budget (a .bucket file
under the state directory, docs/pacing.md). Two sends of one Greenhouse key, back to back
and at once, each pinned just under the fake's limit: without the shared budget each would
start with a fresh burst into the server's spent one and draw 429s; with it, none."""
import json
import os
import subprocess
import unittest

from harness import SandboxTestCase, pjats_command, pjats_env, scaled

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
PACE = ("--rate", "1.8", "--burst", "2")


class SharedBudget(SandboxTestCase):
    # 2 requests per second per key, bursts of 2.
    sandbox_args = ("--greenhouse-rate", "2", "--greenhouse-burst", "2")

    def setUp(self):
        super().setUp()
        folder = os.path.join(self.home, "export", "candidates")
        os.makedirs(folder)
        self.ids = []
        for i in range(12):
            cid = "k%02d" % i
            with open(os.path.join(folder, cid + ".json"), "w") as f:
                json.dump({"basics": {"name": "Budget Person%d" % i,
                                      "email": "budget%d@example.com" % i},
                           "meta": {"purposeJobs": {"id": cid}}}, f)
            self.ids.append(cid)
        code, _, err = self.pj("configure", "source", "--dir", os.path.dirname(folder))
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)
        self.sandbox.reset()

    def assert_all_sent_once(self, ids):
        external = sorted(c["external_id"] for c in self.sandbox.state()["greenhouse"]["candidates"])
        self.assertEqual(external, sorted(ids))

    def test_back_to_back_runs_share_one_bucket(self):
        for chunk in (self.ids[0:3], self.ids[3:6], self.ids[6:9]):
            code, _, err = self.pj("send", "--to", "greenhouse", *PACE, *chunk, timeout=60)
            self.assertEqual(code, 0, err)
        self.assert_all_sent_once(self.ids[0:9])
        self.assertEqual(self.sandbox.state()["counters"]["rate_limited"], 0)
        pace = os.path.join(self.home, "state", "pj-ats", "pace")
        buckets = [f for f in os.listdir(pace) if f.endswith(".bucket")]
        self.assertEqual(len(buckets), 1, buckets)
        self.assertNotIn(GH_KEY, buckets[0])

    def test_concurrent_runs_share_one_bucket(self):
        procs = [subprocess.Popen(pjats_command(["send", "--to", "greenhouse", *PACE, *chunk]),
                                  env=pjats_env(self.home), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for chunk in (self.ids[0:4], self.ids[4:8])]
        for proc in procs:
            _, err = proc.communicate(timeout=scaled(60))
            self.assertEqual(proc.returncode, 0, err)
        self.assert_all_sent_once(self.ids[0:8])
        self.assertEqual(self.sandbox.state()["counters"]["rate_limited"], 0)


if __name__ == "__main__":
    unittest.main()
