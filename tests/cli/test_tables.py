"""End-to-end: the text tables (`ledger list`, `track`, `postings`, `hires --format table`)
and `status` fit the terminal — COLUMNS, else the terminal's width, else 80 — with a header,
aligned columns and ids never cut; off a terminal they are not cut at all, and --json is
unchanged. stdout is a pseudo-terminal (the pty module)."""
import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import termios
import unittest

from harness import make_home, pjats_command, pjats_env, scaled, SandboxTestCase

LEVER_KEY = "lever_sandbox_6a1f0c"
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
RECRUITER_EMAIL = "recruiter@acme.example"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
JOB = "pj-job-77"
ELLIPSIS = "\u2026"


def run_in_pty(args, env, columns=0):
    """Runs pj-ats with stdout on a pseudo-terminal `columns` wide (0: unset); returns
    (exit code, stdout lines, stderr)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.ONLCR  # keep "\n" as the program wrote it
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    proc = subprocess.Popen(pjats_command(args), stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=subprocess.PIPE, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], scaled(60))
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=scaled(60))
    proc.stderr.close()
    return proc.returncode, b"".join(chunks).decode("utf-8").splitlines(), err


def columns_of(header, names):
    """The start column of each header name (they are aligned two spaces apart)."""
    return [header.index(name) for name in names]


class TablesFitTheTerminal(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.export = make_home()
        folder = os.path.join(self.export, "applications", JOB)
        os.makedirs(folder)
        # Records without a name are rejected with a long error; the others are sent.
        for i in range(6):
            name = "" if i % 2 else "Applicant With A Rather Long Name%d" % i
            with open(os.path.join(folder, "%03d.json" % i), "w") as f:
                json.dump({"basics": {"name": name, "email": "a%d@example.com" % i},
                           "meta": {"purposeJobs": {"id": "10%02d" % i}}}, f)
        self.assertEqual(self.pj("configure", "source", "--dir", self.export)[0], 0)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", RECRUITER_EMAIL,
                               input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.pj("link-job", JOB, PUBLISHED)[0], 0)
        self.assertEqual(self.pj("sync")[0], 3)
        self.env = pjats_env(self.home)
        self.env.pop("COLUMNS", None)
        self.env["NO_COLOR"] = "1"

    def assert_fits(self, lines, width):
        for line in lines:
            self.assertLessEqual(len(line), width, line)
            self.assertEqual(line, line.rstrip(), "trailing spaces: %r" % line)

    def test_ledger_list(self):
        env = dict(self.env, COLUMNS="80")
        code, lines, err = run_in_pty(["ledger", "list"], env)
        self.assertEqual(code, 0, err)
        self.assert_fits(lines, 80)
        self.assertTrue(lines[0].startswith("CANDIDATE  TARGET"), lines[0])
        self.assertEqual(len(lines), 7)
        starts = columns_of(lines[0], ["TARGET", "STATE"])
        for line in lines[1:]:
            self.assertEqual(line[starts[0]:starts[0] + 5], "lever", line)  # aligned
            self.assertRegex(line, r"^10\d\d  ")  # the id whole
        self.assertTrue(any(ELLIPSIS in line for line in lines[1:]), lines)  # errors cut
        self.assertIn("left out to fit 80 columns", err)
        # The terminal's own width when COLUMNS is unset; wider shows more.
        code, wide, _ = run_in_pty(["ledger", "list"], self.env, columns=200)
        self.assert_fits(wide, 200)
        self.assertIn("DESTINATION", wide[0])
        self.assertIn("posting:" + PUBLISHED, "\n".join(wide))  # an id is never cut
        # Not a terminal: nothing cut, even with COLUMNS set.
        code, out, _ = self.pj("ledger", "list", env={"COLUMNS": "80"})
        self.assertEqual(code, 0)
        self.assertNotIn(ELLIPSIS, out)
        self.assertGreater(max(len(line) for line in out.splitlines()), 80)
        self.assertIn("CREDITED TO", out)
        # --json is unchanged by the terminal.
        _, piped_json, _ = self.pj("--json", "ledger", "list")
        code, tty_json, _ = run_in_pty(["--json", "ledger", "list"], env)
        self.assertEqual(tty_json, piped_json.splitlines())

    def test_track_has_a_header_and_aligned_columns(self):
        env = dict(self.env, COLUMNS="80")
        code, lines, err = run_in_pty(["track"], env)
        self.assertEqual(code, 0, err)
        self.assert_fits(lines, 80)
        self.assertTrue(lines[0].startswith("CANDIDATE  TARGET  STATE"), lines)
        state = lines[0].index("STATE")
        self.assertEqual(len(lines), 4)  # header + the three sent
        for line in lines[1:]:
            self.assertEqual(line[state:state + 6], "active", line)
        code, out, _ = self.pj("track", env={"COLUMNS": "80"})
        self.assertIn("LINK", out.splitlines()[0])
        self.assertIn("https://", out)

    def test_hires_table_and_postings(self):
        env = dict(self.env, COLUMNS="60")
        code, lines, err = run_in_pty(["hires", "--since", "2020-01-01", "--format", "table"], env)
        self.assertEqual(code, 0, err)
        self.assertEqual(lines[0].split()[:3], ["CANDIDATE", "TARGET", "NAME"])
        self.assert_fits(lines, 60)
        code, lines, err = run_in_pty(["postings"], env)
        self.assertEqual(code, 0, err)
        self.assert_fits(lines, 60)
        self.assertTrue(lines[0].startswith("ID"), lines)
        self.assertIn(PUBLISHED, "\n".join(lines))

    def test_status_fits_and_keeps_commands_whole(self):
        env = dict(self.env, COLUMNS="80")
        code, lines, err = run_in_pty(["status", "--offline"], env)
        self.assertEqual(code, 3, err)
        for line in lines:
            if len(line) > 80:
                # Only a command, which is never cut.
                self.assertRegex(line.strip(), r"^(fix: )?`?(pj-ats|printf) ", line)
        self.assertTrue(any(ELLIPSIS in line for line in lines), lines)  # long detail
        self.assertTrue(any(line.startswith("       ") for line in lines), lines)  # wrapped fix
        joined = "\n".join(lines)
        self.assertIn("`pj-ats ledger list --state failed`", joined)  # whole on its line
        # A narrow terminal: the last line (the verdict) wraps too, and ends the same way.
        code, narrow, _ = run_in_pty(["status", "--offline"], dict(self.env, COLUMNS="40"))
        self.assertEqual(code, 3)
        summary = narrow[narrow.index(next(l for l in narrow if l.startswith("0 failures"))):]
        self.assert_fits(summary, 40)
        self.assertTrue(summary[-1].endswith("(exit 3)."), summary)
        # Off a terminal: every line whole.
        code, out, _ = self.pj("status", "--offline", env={"COLUMNS": "80"})
        self.assertNotIn(ELLIPSIS, out)


if __name__ == "__main__":
    unittest.main()
