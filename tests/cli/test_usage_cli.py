"""Usage errors name the unknown command or flag with a suggestion, on every command level;
every --help fits the terminal width, without CLI11 type names, with the exit-code table
only at the top level."""
import os
import re
import unittest

from harness import run_pjats

COMMANDS = ["configure", "send", "link-job", "sync", "postings", "jobs", "status", "revoke",
            "ledger", "sandbox"]
CONFIGURE_TARGETS = ["greenhouse", "lever", "source"]
LEDGER_ACTIONS = ["list", "resolve"]
ALL_HELP = ([[]] + [[c] for c in COMMANDS] + [["configure", t] for t in CONFIGURE_TARGETS]
            + [["ledger", a] for a in LEDGER_ACTIONS])


class UnknownCommandsAndFlags(unittest.TestCase):
    def check(self, args, message):
        code, out, err = run_pjats(args)
        self.assertEqual(code, 2, err)
        self.assertEqual(out, "")
        self.assertEqual(err.splitlines()[0], "pj-ats: error: " + message)

    def test_top_level_command_with_suggestion(self):
        self.check(["sned"], "unknown command 'sned'; did you mean 'send'?")
        self.check(["stauts"], "unknown command 'stauts'; did you mean 'status'?")

    def test_top_level_command_without_suggestion(self):
        self.check(["foo"], "unknown command 'foo'")

    def test_sub_subcommand(self):
        self.check(["configure", "lver"], "unknown command 'lver'; did you mean 'lever'?")
        self.check(["configure", "xyzzy"], "unknown command 'xyzzy'")

    def test_unknown_flags(self):
        self.check(["send", "1042", "--to", "greenhouse", "--jobs", "4690"],
                   "unknown flag '--jobs'; did you mean '--job'?")
        # reported before the missing required --to
        self.check(["send", "--jobs"], "unknown flag '--jobs'; did you mean '--job'?")
        self.check(["status", "--oflline"], "unknown flag '--oflline'; did you mean '--offline'?")
        self.check(["configure", "lever", "--perform-as-emial", "x@example.com"],
                   "unknown flag '--perform-as-emial'; did you mean '--perform-as-email'?")
        self.check(["--jsn", "status"], "unknown flag '--jsn'; did you mean '--json'?")
        self.check(["status", "--frobnicate"], "unknown flag '--frobnicate'")

    def test_other_usage_errors_keep_the_prefix(self):
        code, _, err = run_pjats(["send", "1042"])
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("pj-ats: error: "), err)
        self.assertIn("--to", err)
        code, _, err = run_pjats([])
        self.assertEqual(code, 2)
        self.assertTrue(err.startswith("pj-ats: error: "), err)


def help_of(args, columns):
    code, out, err = run_pjats(args + ["--help"], env={"COLUMNS": str(columns)})
    if code != 0:
        raise AssertionError("%s --help: %s" % (args, err))
    return out


class HelpFitsTheTerminal(unittest.TestCase):
    def test_no_line_longer_than_columns(self):
        for columns in (80, 60):
            for args in ALL_HELP:
                text = help_of(args, columns)
                for line in text.splitlines():
                    self.assertLessEqual(len(line), columns,
                                         "%r at COLUMNS=%d: %r" % (args, columns, line))

    def test_wider_terminal_uses_the_width(self):
        narrow = help_of(["send"], 60)
        wide = help_of(["send"], 200)
        self.assertLess(len(wide.splitlines()), len(narrow.splitlines()))

    def test_default_width_without_a_terminal_is_80(self):
        code, out, _ = run_pjats(["configure", "lever", "--help"], env={"COLUMNS": ""})
        self.assertEqual(code, 0)
        self.assertLessEqual(max(len(l) for l in out.splitlines()), 80)
        self.assertGreater(max(len(l) for l in out.splitlines()), 60)

    def test_no_cli11_type_names(self):
        for args in ALL_HELP:
            text = help_of(args, 80)
            for noise in ("INT:", "FLOAT:", "TEXT", "UINT", "POSITIVE", "in [0 - 1]"):
                self.assertNotIn(noise, text, "%r --help" % (args,))

    def test_exit_codes_only_at_top_level(self):
        top = help_of([], 80)
        self.assertIn("Exit status:", top)
        self.assertRegex(top, r"(?m)^\s+8\s+another run holds the lock")
        for args in ALL_HELP[1:]:
            text = help_of(args, 80)
            self.assertNotIn("Exit status:", text, args)
            self.assertIn("Exit codes: see `pj-ats --help`", text, args)

    def test_subcommand_help_names_the_global_flags(self):
        for args in ALL_HELP[1:]:
            text = " ".join(help_of(args, 80).split())
            for flag in ("--json", "--profile", "--config", "-v", "-q", "--no-input"):
                self.assertRegex(text, r"Global flags\b.*" + re.escape(flag), args)


if __name__ == "__main__":
    unittest.main()
