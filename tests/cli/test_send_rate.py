"""End-to-end: `send --rate N --burst B` to Greenhouse: the first B requests leave at once,
then the pace is N per second; the flags are checked before anything is sent."""
import json
import os
import unittest

from harness import SandboxTestCase

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
COUNT = 6


class SendRateAndBurst(SandboxTestCase):
    # The fake allows a burst of COUNT and then one request every 10 s.
    sandbox_args = ("--greenhouse-rate", "0.1", "--greenhouse-burst", str(COUNT))

    def setUp(self):
        super().setUp()
        export = os.path.join(self.home, "export", "candidates")
        os.makedirs(export)
        self.ids = []
        for i in range(COUNT):
            cid = "r%02d" % i
            with open(os.path.join(export, cid + ".json"), "w") as f:
                json.dump({"basics": {"name": "Rate Person%d" % i,
                                      "email": "rate%d@example.com" % i},
                           "meta": {"purposeJobs": {"id": cid}}}, f)
            self.ids.append(cid)
        code, _, err = self.pj("configure", "source", "--dir", os.path.dirname(export))
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)
        self.sandbox.reset()

    def test_burst_sends_the_first_requests_at_once(self):
        # Evenly spaced at 0.1/s these six would take 50 s (past the 40 s timeout); with a
        # burst of six they all go at once, inside the server's own burst: no 429.
        code, out, err = self.pj("send", "--to", "greenhouse", "--rate", "0.1", "--burst",
                                 str(COUNT), *self.ids, timeout=40)
        self.assertEqual(code, 0, err)
        self.assertIn("greenhouse: %d sent, 0 skipped, 0 failed" % COUNT, err)
        state = self.sandbox.state()
        self.assertEqual(state["counters"]["rate_limited"], 0)
        self.assertEqual(len(state["greenhouse"]["candidates"]), COUNT)

    def test_burst_needs_rate_and_greenhouse(self):
        for args in (["--to", "greenhouse", "--burst", "3"],
                     ["--to", "greenhouse", "--rate", "0", "--burst", "3"],
                     ["--to", "lever", "--rate", "5", "--burst", "3"]):
            code, _, err = self.pj("send", *args, *self.ids)
            self.assertEqual(code, 2, (args, err))
            self.assertIn("--burst", err)
        code, _, err = self.pj("send", "--to", "greenhouse", "--rate", "5", "--burst", "0",
                               *self.ids)
        self.assertEqual(code, 2, err)
        self.assertEqual(self.sandbox.state()["counters"]["total"], 0)


if __name__ == "__main__":
    unittest.main()
