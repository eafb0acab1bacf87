"""End-to-end: `sync` checks its linked Lever postings concurrently, not one GET after
another: six links at 500 ms latency take one round trip, not six (3 s)."""
import os
import time
import unittest

from harness import SandboxTestCase

LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER_EMAIL = "recruiter@acme.example"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
LINKS = 6
LATENCY_S = 0.5


class SyncPostingChecks(SandboxTestCase):
    sandbox_args = ("--latency-ms", str(int(LATENCY_S * 1000)))

    def setUp(self):
        super().setUp()
        export = os.path.join(self.home, "export")
        os.makedirs(os.path.join(export, "candidates"))
        code, _, err = self.pj("configure", "source", "--dir", export)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", RECRUITER_EMAIL,
                               input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        for i in range(LINKS):
            code, _, err = self.pj("link-job", "job%d" % i, PUBLISHED, "--no-verify")
            self.assertEqual(code, 0, err)
        self.sandbox.reset()

    def test_linked_postings_are_checked_at_once(self):
        start = time.monotonic()
        code, _, err = self.pj("sync", "--quiet")
        elapsed = time.monotonic() - start
        self.assertEqual(code, 0, err)
        counters = self.sandbox.state()["counters"]
        self.assertGreaterEqual(counters["total"], LINKS, counters)
        # One after another: at least LINKS × latency of checks alone.
        self.assertLess(elapsed, LINKS * LATENCY_S - 0.5, counters)


if __name__ == "__main__":
    unittest.main()
