"""End-to-end: the Prometheus metrics file of `sync`, `send` and `track` (--metrics-file,
the profile's metrics_file), read back with a small parser of the text exposition format
that refuses anything node_exporter's textfile collector would refuse."""
import json
import os
import re
import stat
import time
import unittest

from harness import make_home, SandboxTestCase

LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER_EMAIL = "recruiter@acme.example"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
JOB = "pj-job-77"

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"'
SAMPLE = re.compile(r"^(%s)(?:\{((?:%s)(?:,(?:%s))*)?\})? (\S+)$" % (NAME, LABEL, LABEL))


def parse_prometheus_text(text):
    """{metric: {"type", "help", "samples": [(labels dict, float)]}}; raises ValueError on
    anything outside the text format: a sample before its TYPE, a second HELP/TYPE, a
    timestamp, a bad name, label or value, a missing final newline."""
    if text and not text.endswith("\n"):
        raise ValueError("no final newline")
    metrics = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            kind, rest = line[2:6], line[7:]
            name, _, value = rest.partition(" ")
            if not re.fullmatch(NAME, name) or not value:
                raise ValueError("line %d: bad %s" % (number, kind))
            entry = metrics.setdefault(name, {"samples": []})
            key = kind.lower()
            if key in entry or entry["samples"]:
                raise ValueError("line %d: %s of %s repeated or after samples" % (number, kind, name))
            if key == "type" and value not in ("counter", "gauge", "untyped"):
                raise ValueError("line %d: type %r" % (number, value))
            entry[key] = value
            continue
        if line.startswith("#") or not line.strip():
            continue
        match = SAMPLE.match(line)
        if not match:
            raise ValueError("line %d: not a sample (or has a timestamp): %r" % (number, line))
        name = match.group(1)
        labels = dict(re.findall(LABEL, match.group(2) or "")) if match.group(2) else {}
        value = float(match.group(match.lastindex))
        entry = metrics.get(name)
        if entry is None or "type" not in entry or "help" not in entry:
            raise ValueError("line %d: %s has no HELP and TYPE before it" % (number, name))
        entry["samples"].append((labels, value))
    for name, entry in metrics.items():
        seen = set()
        for labels, _ in entry["samples"]:
            key = tuple(sorted(labels.items()))
            if key in seen:
                raise ValueError("%s: duplicate sample %r" % (name, labels))
            seen.add(key)
    return metrics


def value(metrics, name, **labels):
    matches = [v for l, v in metrics[name]["samples"]
               if all(l.get(k) == want for k, want in labels.items())]
    if len(matches) != 1:
        raise AssertionError("%s%r: %d samples in %r" % (name, labels, len(matches),
                                                         metrics.get(name)))
    return matches[0]


class ParserTest(unittest.TestCase):
    """The parser itself refuses what the format forbids (else the tests below prove nothing)."""

    def test_refuses_malformed_files(self):
        good = "# HELP a_total x\n# TYPE a_total counter\na_total{k=\"v\"} 1\n"
        self.assertEqual(value(parse_prometheus_text(good), "a_total", k="v"), 1)
        for bad in ("a_total 1\n",                                    # no HELP/TYPE
                    good + "a_total{k=\"v\"} 2\n",                     # duplicate sample
                    good.replace("} 1", "} 1 1700000000000"),           # a timestamp
                    good.replace("counter", "countr"),
                    good + "# TYPE a_total counter\n",
                    good.rstrip("\n")):
            with self.subTest(text=bad):
                with self.assertRaises(ValueError):
                    parse_prometheus_text(bad)


def write_application(root, stem, cid, name=None):
    folder = os.path.join(root, "applications", JOB)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, stem + ".json"), "w") as f:
        json.dump({"basics": {"name": name if name is not None else "Applicant Number%s" % cid,
                              "email": "applicant%s@example.com" % cid},
                   "meta": {"purposeJobs": {"id": cid}}}, f)


class MetricsCli(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.export = make_home()
        self.out_dir = make_home()
        self.path = os.path.join(self.out_dir, "pj-ats.prom")
        self.assertEqual(self.pj("configure", "source", "--dir", self.export)[0], 0)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", RECRUITER_EMAIL,
                               input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.pj("link-job", JOB, PUBLISHED)[0], 0)

    def read(self):
        with open(self.path, encoding="utf-8") as f:
            return parse_prometheus_text(f.read())

    def test_sync_writes_counts_duration_success_and_rate_limit_waits(self):
        write_application(self.export, "001", "a1")
        write_application(self.export, "002", "a2")
        write_application(self.export, "003", "a3", name="")  # no name: rejected
        # One 429 the run waits out before its retry.
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities", "action": "status",
                              "status": 429, "retry_after": "1", "times": 1}])
        before = time.time()
        code, out, err = self.pj("sync", "--metrics-file", self.path)
        self.assertEqual(code, 3, out + err)
        self.assertEqual(len(self.sandbox.state()["lever"]["opportunities"]), 2)
        m = self.read()
        run = {"command": "sync", "profile": "default"}
        for outcome, count in (("sent", 2), ("skipped", 0), ("failed", 1), ("review", 0)):
            self.assertEqual(value(m, "pjats_items_total", outcome=outcome, **run), count)
            self.assertEqual(value(m, "pjats_last_run_items", outcome=outcome, **run), count)
        self.assertEqual(m["pjats_items_total"]["type"], "counter")
        self.assertEqual(m["pjats_last_success_timestamp_seconds"]["type"], "gauge")
        self.assertGreaterEqual(value(m, "pjats_rate_limit_waits_total", **run), 1)
        self.assertGreaterEqual(value(m, "pjats_rate_limit_wait_seconds_total", **run), 0.9)
        self.assertGreaterEqual(value(m, "pjats_last_run_duration_seconds", **run), 0.9)
        self.assertEqual(value(m, "pjats_last_run_exit_code", **run), 3)
        success = value(m, "pjats_last_success_timestamp_seconds", **run)
        self.assertGreaterEqual(success, int(before))
        self.assertLessEqual(success, time.time() + 1)
        self.assertEqual(value(m, "pjats_runs_total", result="success", **run), 1)
        self.assertEqual(value(m, "pjats_ledger_rows", state="failed", **run), 1)
        self.assertEqual(value(m, "pjats_ledger_rows", state="review", **run), 0)
        # Readable by node_exporter's user; no temporary file left behind.
        self.assertEqual(stat.S_IMODE(os.stat(self.path).st_mode), 0o644)
        self.assertEqual(os.listdir(self.out_dir), ["pj-ats.prom"])

        # The next run adds to the counters; a failed one keeps the last success time.
        write_application(self.export, "004", "a4")
        time.sleep(1.1)
        self.assertEqual(self.pj("sync", "--metrics-file", self.path)[0], 0)
        m = self.read()
        self.assertEqual(value(m, "pjats_items_total", outcome="sent", **run), 3)
        self.assertEqual(value(m, "pjats_last_run_items", outcome="sent", **run), 1)
        self.assertEqual(value(m, "pjats_runs_total", result="success", **run), 2)
        second = value(m, "pjats_last_success_timestamp_seconds", **run)
        self.assertGreater(second, success)
        write_application(self.export, "005", "a5")  # something to send, so Lever is asked
        code, _, err = self.pj("sync", "--metrics-file", self.path,
                               env={"PJ_ATS_LEVER_API_KEY": "lever_wrong_key"})
        self.assertEqual(code, 4, err)
        m = self.read()
        self.assertEqual(value(m, "pjats_last_success_timestamp_seconds", **run), second)
        self.assertEqual(value(m, "pjats_last_run_exit_code", **run), 4)
        self.assertEqual(value(m, "pjats_runs_total", result="failure", **run), 1)

    def test_profile_setting_dry_run_and_other_commands(self):
        config = os.path.join(self.home, "config", "pj-ats", "config.toml")
        with open(config, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("[profiles.default]\n", text)
        text = text.replace("[profiles.default]\n",
                            "[profiles.default]\nmetrics_file = %s\n" % json.dumps(self.path), 1)
        with open(config, "w", encoding="utf-8") as f:
            f.write(text)
        write_application(self.export, "001", "a1")
        self.assertEqual(self.pj("sync", "--dry-run")[0], 0)
        self.assertFalse(os.path.exists(self.path))  # a dry run writes nothing
        self.assertEqual(self.pj("sync")[0], 0)
        self.assertEqual(value(self.read(), "pjats_items_total", command="sync", outcome="sent"), 1)
        # send and track write their own samples into the same file; sync's stay.
        os.makedirs(os.path.join(self.export, "candidates"))
        with open(os.path.join(self.export, "candidates", "1042.json"), "w") as f:
            json.dump({"basics": {"name": "Candidate Sent", "email": "c1042@example.com"},
                       "meta": {"purposeJobs": {"id": "1042"}}}, f)
        code, _, err = self.pj("send", "1042", "--to", "lever", "--posting", PUBLISHED)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("track")
        self.assertEqual(code, 0, err)
        m = self.read()
        self.assertEqual(value(m, "pjats_items_total", command="sync", outcome="sent"), 1)
        self.assertEqual(value(m, "pjats_items_total", command="send", outcome="sent"), 1)
        self.assertEqual(value(m, "pjats_last_run_items", command="track", outcome="tracked"), 2)
        self.assertEqual(value(m, "pjats_last_run_exit_code", command="track"), 0)
        # The flag wins over the profile.
        other = os.path.join(self.out_dir, "other.prom")
        self.assertEqual(self.pj("sync", "--metrics-file", other)[0], 0)
        self.assertIn("pjats_runs_total", parse_prometheus_text(open(other).read()))


if __name__ == "__main__":
    unittest.main()
