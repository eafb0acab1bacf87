"""scripts/demo.sh (run by CI first) completes against the built binaries, quickly, and
shows each part of the mission reaching its fake."""
import os
import subprocess
import time
import unittest

from harness import PJATS_BIN, PJATS_WRAPPER

SOURCE_DIR = os.environ.get("PJATS_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", ".."))


@unittest.skipUnless(PJATS_BIN and not PJATS_WRAPPER, "needs PJATS_BIN, no wrapper")
class DemoTest(unittest.TestCase):
    def test_demo_runs_the_whole_mission(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PJ_ATS_")}
        env["PJATS_DEMO_BIN"] = os.path.realpath(PJATS_BIN)
        start = time.monotonic()
        result = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "demo.sh")],
                                capture_output=True, text=True, timeout=120, env=env,
                                stdin=subprocess.DEVNULL)
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output)
        self.assertLess(time.monotonic() - start, 60)
        for expected in ("prospect, no pool", "job 4690", "skipped 1042: already sent",
                         "stage lead-new, origin sourced, tags Purpose Jobs",
                         "origin applied, tags Purpose Jobs, posting",
                         "postings published as JobPosting", "All checks passed",
                         "demo: ok"):
            self.assertIn(expected, output)


if __name__ == "__main__":
    unittest.main()
