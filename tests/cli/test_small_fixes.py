"""Small CLI fixes: --ids-from trailing comments, exit codes and messages of configure
lever, status with an invalid profile name, bash completion not repeating flags, the man
page on what `revoke` calls."""
import os
import pty
import re
import shutil
import subprocess
import unittest

from harness import Sandbox, make_home, pjats_command, pjats_env, run_pjats, scaled

SOURCE_DIR = os.environ.get("PJATS_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", ".."))
EXPORT = os.path.join(SOURCE_DIR, "examples", "export")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
LEVER_KEY = "lever_sandbox_6a1f0c"


class DryRunReadsTheLedger(unittest.TestCase):
    """Issue 16, items 5 and 6: a dry run says what a real run would skip; a send onto a job
    of someone already sent as a prospect says so."""

    def test_dry_run_after_a_send_and_the_prospect_note(self):
        with Sandbox() as sandbox:
            home = make_home()
            self.assertEqual(run_pjats(["configure", "source", "--dir", EXPORT], home=home)[0], 0)
            code, _, err = run_pjats(["configure", "greenhouse", "--email",
                                      "recruiter@acme.example", "--api-key-stdin",
                                      "--base-url", sandbox.url], home=home, input=GH_KEY)
            self.assertEqual(code, 0, err)
            code, out, err = run_pjats(["send", "1042", "--to", "greenhouse"], home=home)
            self.assertEqual(code, 0, err)
            [prospect] = sandbox.state()["greenhouse"]["candidates"]
            code, out, err = run_pjats(["send", "1042", "--to", "greenhouse", "--dry-run"],
                                       home=home)
            self.assertEqual(code, 0, err)
            self.assertIn("skipped 1042", out)
            self.assertNotIn("POST", out)
            # --force shows the request it would send again.
            code, out, err = run_pjats(["send", "1042", "--to", "greenhouse", "--dry-run",
                                        "--force"], home=home)
            self.assertIn("POST", out)
            # Onto a job: a second Greenhouse candidate, said out loud (dry run and real).
            code, out, err = run_pjats(["send", "1042", "--to", "greenhouse", "--job", "4690",
                                        "--dry-run"], home=home)
            self.assertEqual(code, 0, err)
            self.assertIn("already in Greenhouse as prospect %s" % prospect["id"], err)
            self.assertIn("would create", err)
            code, out, err = run_pjats(["--json", "send", "1042", "--to", "greenhouse", "--job",
                                        "4690"], home=home)
            self.assertEqual(code, 0, err)
            self.assertIn('"already_as":"prospect %s"' % prospect["id"], out)
            self.assertEqual(len(sandbox.state()["greenhouse"]["candidates"]), 2)
            # The other order: on a job first, then as a prospect — the note too.
            code, out, err = run_pjats(["send", "1043", "--to", "greenhouse", "--job", "4690"],
                                       home=home)
            self.assertEqual(code, 0, err)
            self.assertNotIn("already in Greenhouse", err)
            on_job = [c for c in sandbox.state()["greenhouse"]["candidates"]
                      if c["body"]["external_id"] == "1043"]
            self.assertEqual(len(on_job), 1)
            code, out, err = run_pjats(["send", "1043", "--to", "greenhouse"], home=home)
            self.assertEqual(code, 0, err)
            self.assertIn("already in Greenhouse as candidate %s on job:4690" % on_job[0]["id"],
                          err)
            self.assertIn("a second candidate (a prospect)", err)
            # A dry run creates no ledger and learns nothing over the network when none exists.
            fresh = make_home()
            run_pjats(["configure", "source", "--dir", EXPORT], home=fresh)
            run_pjats(["configure", "greenhouse", "--email", "recruiter@acme.example",
                       "--api-key-stdin", "--base-url", sandbox.url], home=fresh, input=GH_KEY)
            code, out, err = run_pjats(["send", "1042", "--to", "greenhouse", "--dry-run"],
                                       home=fresh)
            self.assertEqual(code, 0, err)
            self.assertIn("POST", out)
            self.assertFalse(os.path.exists(os.path.join(fresh, "state", "pj-ats", "default.db")))


class IdsFromComments(unittest.TestCase):
    def test_trailing_comment_is_not_part_of_the_id(self):
        with Sandbox() as sandbox:
            home = make_home()
            self.assertEqual(run_pjats(["configure", "source", "--dir", EXPORT], home=home)[0], 0)
            code, _, err = run_pjats(["configure", "greenhouse", "--email",
                                      "recruiter@acme.example", "--api-key-stdin",
                                      "--base-url", sandbox.url], home=home, input=GH_KEY)
            self.assertEqual(code, 0, err)
            ids = os.path.join(home, "ids.txt")
            with open(ids, "w") as f:
                f.write("# header\n1042\n1043  # trailing comment\n\t1044\t#x\n")
            code, out, err = run_pjats(["--json", "send", "--ids-from", ids, "--to",
                                        "greenhouse"], home=home)
            self.assertEqual(code, 0, out + err)
            external = sorted(c["body"]["external_id"]
                              for c in sandbox.state()["greenhouse"]["candidates"])
            self.assertEqual(external, ["1042", "1043", "1044"])


    def test_progress_line_shows_the_total_of_an_ids_file(self):
        # slow answers, so the progress line (redrawn every 200 ms) is drawn mid-run
        with Sandbox("--latency-ms", "400") as sandbox:
            home = make_home()
            self.assertEqual(run_pjats(["configure", "source", "--dir", EXPORT], home=home)[0], 0)
            code, _, err = run_pjats(["configure", "greenhouse", "--email",
                                      "recruiter@acme.example", "--api-key-stdin",
                                      "--base-url", sandbox.url, "--no-verify"], home=home,
                                     input=GH_KEY)
            self.assertEqual(code, 0, err)
            ids = os.path.join(home, "ids.txt")
            with open(ids, "w") as f:
                f.write("1042\n# not an id\n1043  # trailing\n")
            main, child = pty.openpty()  # stderr on a terminal: the progress line is drawn
            try:
                proc = subprocess.run(pjats_command(["send", "1044", "--ids-from", ids, "--to",
                                                     "greenhouse", "--rate", "2"]),
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=child, env=pjats_env(home), timeout=scaled(60))
                os.close(child)
                child = None
                err = b""
                while True:
                    try:
                        chunk = os.read(main, 4096)
                    except OSError:
                        break
                    if not chunk:
                        break
                    err += chunk
            finally:
                if child is not None:
                    os.close(child)
                os.close(main)
            text = err.decode("utf-8", "replace")
            self.assertEqual(proc.returncode, 0, text)
            self.assertRegex(text, r"\[greenhouse\] \d+/3 sent")
            self.assertNotIn("/?", text)


class ConfigureLever(unittest.TestCase):
    def test_deactivated_perform_as_email_is_a_configuration_error(self):
        with Sandbox() as sandbox:
            code, out, err = run_pjats(["configure", "lever", "--api-key-stdin", "--base-url",
                                        sandbox.url, "--perform-as-email",
                                        "former@acme.example"], input=LEVER_KEY)
            self.assertEqual(code, 5, out + err)
            self.assertIn("no active Lever user has the email", err)

    def test_perform_as_email_alone_does_not_claim_a_key_was_saved(self):
        with Sandbox() as sandbox:
            home = make_home()
            code, out, err = run_pjats(["configure", "lever", "--api-key-stdin", "--base-url",
                                        sandbox.url], home=home, input=LEVER_KEY)
            self.assertEqual(code, 0, err)
            self.assertIn("Lever: API key saved", out)
            code, out, err = run_pjats(["configure", "lever", "--perform-as-email",
                                        "admin@acme.example"], home=home)
            self.assertEqual(code, 0, err)
            self.assertNotIn("API key saved", out)
            self.assertIn("Lever: API key unchanged", out)
            self.assertIn("performing actions as", out)


class StatusInvalidProfileName(unittest.TestCase):
    def test_no_fix_that_would_be_rejected(self):
        code, out, err = run_pjats(["status", "--offline", "--profile", "bad/name"])
        self.assertEqual(code, 5, out + err)
        text = out + err
        self.assertIn("invalid profile name 'bad/name'", text)
        self.assertNotIn("--profile 'bad/name' configure", text)
        self.assertNotIn("--profile bad/name configure", text)


@unittest.skipUnless(shutil.which("bash"), "needs bash")
class BashCompletion(unittest.TestCase):
    def complete(self, *words):
        script = ('source "%s"; COMP_WORDS=(%s); COMP_CWORD=%d; _pj_ats; '
                  'printf "%%s\\n" "${COMPREPLY[@]}"'
                  % (os.path.join(SOURCE_DIR, "completions", "pj-ats.bash"),
                     " ".join("'%s'" % w for w in words), len(words) - 1))
        return subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                              check=True).stdout.split()

    def test_a_flag_already_given_is_not_offered_again(self):
        self.assertIn("--offline", self.complete("pj-ats", "status", "--"))
        offered = self.complete("pj-ats", "status", "--offline", "--")
        self.assertNotIn("--offline", offered)
        self.assertIn("--json", offered)
        offered = self.complete("pj-ats", "send", "--to", "lever", "--dry-run", "--")
        self.assertNotIn("--dry-run", offered)
        self.assertNotIn("--to", offered)
        self.assertIn("--force", offered)


class RevokeDocs(unittest.TestCase):
    def test_man_page_does_not_claim_an_upstream_revoke(self):
        with open(os.path.join(SOURCE_DIR, "man", "pj-ats.1")) as f:
            page = f.read()
        self.assertNotIn("revokes the authorization upstream", page)
        self.assertIn("No endpoint is called", page)


if __name__ == "__main__":
    unittest.main()
