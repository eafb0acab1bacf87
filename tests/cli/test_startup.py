"""End-to-end: libcurl is loaded only by commands that use the network, and libpq only by
commands that use a PostgreSQL ledger, so start-up (`--version`, `--help`, offline commands,
anything on a SQLite ledger) does not map their dependent libraries (the `--version` ≤ 5 ms
target in BENCHMARKS.md; timed by bench/bench.py, not here)."""
import os
import subprocess
import unittest

from harness import Sandbox, make_home, pjats_env, run_pjats, PJATS_BIN

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")


def loaded_libraries(home, args, input=None):
    """Runs pj-ats directly (no wrapper) with the dynamic loader's trace; returns
    (exit code, stdout, the loader's and pj-ats's stderr)."""
    proc = subprocess.run([PJATS_BIN] + args, input=input, capture_output=True, text=True,
                          env=pjats_env(home, {"LD_DEBUG": "libs"}), timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


class StartUp(unittest.TestCase):
    def test_offline_commands_do_not_load_libcurl(self):
        home = make_home()
        for args in (["--version"], ["--help"], ["status", "--offline"]):
            code, _, trace = loaded_libraries(home, args)
            self.assertIn(code, (0, 1, 5), (args, trace[-500:]))
            self.assertIn("libstdc++", trace, "the loader trace is missing")
            self.assertNotIn("libcurl", trace, args)
            self.assertNotIn("libpq", trace, args)

    def test_dry_run_does_not_load_libcurl(self):
        home = make_home()
        code, _, err = run_pjats(["configure", "source", "--dir", SOURCE], home=home)
        self.assertEqual(code, 0, err)
        code, _, err = run_pjats(["configure", "greenhouse", "--email", "recruiter@acme.example",
                                  "--api-key-stdin", "--no-verify"], home=home, input=GH_KEY)
        self.assertEqual(code, 0, err)
        code, out, trace = loaded_libraries(home, ["send", "1042", "--to", "greenhouse",
                                                   "--dry-run"])
        self.assertEqual(code, 0, trace[-2000:])
        self.assertIn("POST", out)
        self.assertNotIn("libcurl", trace)
        self.assertNotIn("libpq", trace)

    def test_a_postgresql_ledger_loads_libpq_on_first_use(self):
        # Nothing listens on port 1: libpq is loaded to try, and the error is clear.
        home = make_home()
        code, _, err = run_pjats(["configure", "source", "--dir", SOURCE], home=home)
        self.assertEqual(code, 0, err)
        env = pjats_env(home, {"LD_DEBUG": "libs",
                               "PJ_ATS_LEDGER_URL": "postgresql://nobody@127.0.0.1:1/none"})
        proc = subprocess.run([PJATS_BIN, "ledger", "export"], capture_output=True, text=True,
                              env=env, timeout=60)
        self.assertIn(proc.returncode, (5, 7), proc.stderr[-2000:])
        self.assertIn("libpq.so.5", proc.stderr)
        self.assertIn("cannot open ledger postgresql://nobody@127.0.0.1:1/none", proc.stderr)
        code, _, trace = loaded_libraries(home, ["--version"])
        self.assertNotIn("libpq", trace)

    def test_network_commands_load_libcurl(self):
        home = make_home()
        with Sandbox() as sandbox:
            code, _, trace = loaded_libraries(
                home, ["configure", "greenhouse", "--email", "recruiter@acme.example",
                       "--api-key-stdin", "--base-url", sandbox.url], input=GH_KEY)
        self.assertEqual(code, 0, trace[-2000:])
        self.assertIn("libcurl.so.4", trace)


if __name__ == "__main__":
    unittest.main()
