"""End-to-end: a bulk Greenhouse send with no --rate against a key the fake limits to
5 req/s (a limit Greenhouse does not publish): the pacer learns it from the 429s, every
candidate is sent exactly once, exit 0, at most 10 % of the requests draw a 429, and the
rate learnt is remembered for the key (under a hash, never the key) for the next run."""
import json
import os
import time
import unittest

from harness import SandboxTestCase

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
COUNT = 60
RATE = 5


def write_candidates(root, prefix, count):
    folder = os.path.join(root, "candidates")
    os.makedirs(folder, exist_ok=True)
    ids = []
    for i in range(count):
        cid = "%s%03d" % (prefix, i)
        with open(os.path.join(folder, cid + ".json"), "w") as f:
            json.dump({"basics": {"name": "Pace Person%s" % cid,
                                  "email": "%s@example.com" % cid},
                       "meta": {"purposeJobs": {"id": cid}}}, f)
        ids.append(cid)
    return ids


class AdaptivePace(SandboxTestCase):
    sandbox_args = ("--greenhouse-rate", str(RATE), "--greenhouse-burst", str(RATE),
                    "--latency-ms", "100")

    def setUp(self):
        super().setUp()
        self.export = os.path.join(self.home, "export")
        self.first = write_candidates(self.export, "a", COUNT)
        self.second = write_candidates(self.export, "b", COUNT)
        code, _, err = self.pj("configure", "source", "--dir", self.export)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)
        self.sandbox.reset()
        self.pace_dir = os.path.join(self.home, "state", "pj-ats", "pace")

    def send(self, ids):
        ids_file = os.path.join(self.home, "ids-%s.txt" % ids[0])
        with open(ids_file, "w") as f:
            f.write("\n".join(ids) + "\n")
        start = time.monotonic()
        code, out, err = self.pj("send", "--to", "greenhouse", "--ids-from", ids_file,
                                 timeout=120)
        return code, err, time.monotonic() - start

    def learnt_files(self):
        """The learnt-rate files (the .bucket files next to them hold the shared budget)."""
        if not os.path.isdir(self.pace_dir):
            return []
        return [f for f in os.listdir(self.pace_dir) if not f.endswith(".bucket")]

    def sent_external_ids(self):
        return sorted(c["external_id"] for c in self.sandbox.state()["greenhouse"]["candidates"])

    def test_learns_the_limit_sends_each_once_and_remembers_it(self):
        code, err, elapsed = self.send(self.first)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.sent_external_ids(), sorted(self.first))
        counters = self.sandbox.state()["counters"]
        self.assertLessEqual(counters["rate_limited"], counters["total"] / 10, counters)
        ideal = (COUNT - RATE) / RATE
        self.assertLessEqual(elapsed, 1.5 * ideal + 3, counters)

        files = self.learnt_files()
        self.assertEqual(len(files), 1, files)
        self.assertTrue(files[0].startswith("greenhouse-"), files)
        path = os.path.join(self.pace_dir, files[0])
        with open(path) as f:
            text = f.read()
        self.assertNotIn(GH_KEY, text + files[0])
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        learnt = float(text.split()[1])
        self.assertGreater(learnt, RATE * 0.6, text)
        self.assertLessEqual(learnt, RATE * 1.1, text)

        # The next run starts near the learnt rate: no slow start, hardly a 429.
        time.sleep(1.2)  # the fake's bucket refills
        before = self.sandbox.state()["counters"]["rate_limited"]
        code, err, _ = self.send(self.second)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.sent_external_ids(), sorted(self.first + self.second))
        self.assertLessEqual(self.sandbox.state()["counters"]["rate_limited"] - before, 3)

    def test_rate_flag_pins_the_pace_and_learns_nothing(self):
        code, _, err = self.pj("send", "--to", "greenhouse", "--rate", str(RATE - 1), "--burst",
                               str(RATE - 1), *self.first[:15], timeout=60)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.sandbox.state()["counters"]["rate_limited"], 0)
        self.assertEqual(self.learnt_files(), [])


if __name__ == "__main__":
    unittest.main()
