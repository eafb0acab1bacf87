"""The man page and the shell completions match the binary: the page renders without
warnings and documents every subcommand and flag `pj-ats --help` lists; each completion
script knows every subcommand and flag, and the bash, zsh and fish completions, when run,
offer the expected candidates (subcommands, --to/--format/--state values, profile names read
from the config file, file names)."""
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import unittest

from harness import pjats_command, scaled

SOURCE_DIR = os.environ.get(
    "PJATS_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PJATS_BIN = os.environ.get("PJATS_BIN", "")
MAN_PAGE = os.path.join(SOURCE_DIR, "man", "pj-ats.1")
BASH_COMPLETION = os.path.join(SOURCE_DIR, "completions", "pj-ats.bash")
ZSH_COMPLETION = os.path.join(SOURCE_DIR, "completions", "_pj-ats")
FISH_COMPLETION = os.path.join(SOURCE_DIR, "completions", "pj-ats.fish")

# The contract (README.md and man/pj-ats.1 list the commands); the binary's own list is checked separately.
CONTRACT_COMMANDS = ["configure", "send", "link-job", "sync", "track", "hires", "audit", "postings", "jobs", "revoke",
                     "status", "ledger", "sandbox"]
CONFIGURE_TARGETS = ["greenhouse", "ledger", "lever", "organization", "source"]
# Subcommands of command groups other than configure: {group: [actions]}.
GROUP_ACTIONS = {"ledger": ["export", "import", "list", "resolve"]}
LEDGER_FLAGS = ["--output", "--url", "--sqlite", "--new"]

CONFIG_WITH_TWO_PROFILES = textwrap.dedent("""\
    default_profile = "acme"

    [profiles.acme]
    ca_bundle = "/etc/ssl/acme.pem"

    [profiles.acme.greenhouse]
    email = "r@acme.example"

    [profiles."staging-2".lever]
    auth = "api_key"
    """)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def man_headings(page):
    """The .SH and .SS titles of a man page source, without quotes."""
    return re.findall(r'(?m)^\.S[HS] "?(.*?)"?$', page)


def have_binary():
    return bool(PJATS_BIN) and os.access(PJATS_BIN, os.X_OK)


def help_text(*args):
    result = subprocess.run(pjats_command([*args, "--help"]), capture_output=True, text=True,
                            timeout=scaled(60), env=dict(os.environ, NO_COLOR="1"))
    if result.returncode != 0:
        raise AssertionError("%s --help failed: %s" % (" ".join(args), result.stderr))
    return result.stdout


def help_sections(text):
    """{section title: [lines]} of CLI11 help output ("Options:", "Subcommands:", ...)."""
    sections = {}
    current = None
    for line in text.splitlines():
        header = re.fullmatch(r"([A-Z][A-Za-z ]*):\s*", line)
        if header:
            current = sections.setdefault(header.group(1), [])
        elif not line.strip():
            current = None
        elif current is not None:
            current.append(line)
    return sections


def subcommands(text):
    names = []
    for line in help_sections(text).get("Subcommands", []):
        match = re.match(r" {2}([a-z][a-z0-9-]*)(\s|$)", line)  # not a wrapped description
        if match:
            names.append(match.group(1))
    return names


def long_options(text):
    """Long option names of the "Options" section, without --help/--version."""
    names = []
    for line in help_sections(text).get("Options", []):
        match = re.match(r"\s+(-\S+)", line)
        if not match:
            continue  # a wrapped description line
        for name in match.group(1).split(","):
            if name.startswith("--") and name not in ("--help", "--version"):
                names.append(name)
    return names


class HelpParsingTest(unittest.TestCase):
    SAMPLE = textwrap.dedent("""\
        pj-ats: send Purpose Jobs candidates to Greenhouse and Lever
        Usage: pj-ats [OPTIONS] SUBCOMMAND

        Options:
          -h,--help                   Print this help message and exit
          -v,--verbose                Trace HTTP on stderr (secrets and PII
                                      redacted, --like this)
          --to TEXT:{greenhouse,lever} REQUIRED
                                      Target system

        Subcommands:
          configure                   Store credentials
          link-job                    Link a job to a posting, checking that it
                                      exists and is open

        Exit status:
          0    ok
        """)

    def test_parses_cli11_help(self):
        self.assertEqual(subcommands(self.SAMPLE), ["configure", "link-job"])
        self.assertEqual(long_options(self.SAMPLE), ["--verbose", "--to"])


@unittest.skipUnless(have_binary(), "PJATS_BIN is not set to the built pj-ats")
class ManPageMatchesBinaryTest(unittest.TestCase):
    def setUp(self):
        self.page = read(MAN_PAGE)
        self.headings = man_headings(self.page)
        self.commands = subcommands(help_text())
        self.assertTrue(self.commands, "no Subcommands: section in pj-ats --help")

    def test_documents_every_subcommand(self):
        for name in self.commands:
            with self.subTest(command=name):
                self.assertIn("pj-ats " + name, self.headings)
        for target in subcommands(help_text("configure")):
            with self.subTest(command="configure " + target):
                self.assertIn("pj-ats configure " + target, self.headings)

    def test_documents_every_flag(self):
        # roff writes "-" as "\-"; every flag must appear in the page.
        def check(options, where):
            for option in options:
                with self.subTest(command=where, option=option):
                    self.assertTrue(option.replace("-", "\\-") in self.page,
                                    "%s is not in the man page" % option)
        check(long_options(help_text()), "pj-ats")
        for name in self.commands:
            check(long_options(help_text(name)), name)
        for target in subcommands(help_text("configure")):
            check(long_options(help_text("configure", target)), "configure " + target)
        for group in GROUP_ACTIONS:
            for action in subcommands(help_text(group)):
                check(long_options(help_text(group, action)), group + " " + action)

    def test_status_exit_story_is_told_once(self):
        """README, man page and `status --help` give status's exit codes the same meaning."""
        def flat(text):
            text = re.sub(r"\\f[BIRP]|\*\*|`", "", text.replace("\\-", "-"))
            text = re.sub(r"(?m)^\.[A-Z]+ ?", "", text)
            return " ".join(text.split())
        readme = read(os.path.join(SOURCE_DIR, "README.md"))
        readme = readme[readme.index("## Check your setup: `status`"):]
        readme = readme[:readme.index("\n## ", 1)]
        man = self.page[self.page.index('.SS "pj-ats status"'):]
        man = man[:man.index("\n.SS", 1)]
        for where, text in (("README", readme), ("man", man),
                            ("--help", help_text("status"))):
            text = flat(text)
            with self.subTest(where=where):
                self.assertRegex(text, r"0 when nothing needs a person \(warnings are fine\)")
                self.assertIn("3 when nothing is broken but sends need a person", text)
                self.assertRegex(text, r"most (severe|serious) failed check")
                self.assertIn("verdict", text)
                self.assertNotIn("nothing a cron run needs is broken", text)

    def test_documents_every_action_of_a_group(self):
        for group, actions in GROUP_ACTIONS.items():
            self.assertEqual(sorted(subcommands(help_text(group))), sorted(actions))
            section = self.page[self.page.index('.SS "pj-ats %s"' % group):]
            section = section[:section.index("\n.S", 1)]
            for action in actions:
                with self.subTest(group=group, action=action):
                    self.assertRegex(section, r"(?m)^\.(B|BI|BR) \"?%s\b" % action)


class ManPageRendersTest(unittest.TestCase):
    def test_has_the_required_sections(self):
        page = read(MAN_PAGE)
        headings = man_headings(page)
        for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "GLOBAL OPTIONS",
                        "PROFILE FILE", "ENVIRONMENT", "SOURCES AND RECORDS", "LEDGER",
                        "EXIT STATUS", "FILES", "EXAMPLES", "SECURITY", "SEE ALSO"):
            with self.subTest(section=section):
                self.assertIn(section, headings)
        for name in CONTRACT_COMMANDS + ["configure " + t for t in CONFIGURE_TARGETS]:
            self.assertIn("pj-ats " + name, headings)
        table = page[page.index(".SH EXIT STATUS"):page.index(".TE")]
        codes = re.findall(r"(?m)^(\d+)@T\{$", table)
        self.assertEqual(codes, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "130"])

    @unittest.skipUnless(shutil.which("groff"), "groff is not installed")
    def test_groff_renders_without_warnings(self):
        result = subprocess.run(["groff", "-man", "-t", "-Tutf8", "-ww", "-z", MAN_PAGE],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")

    @unittest.skipUnless(shutil.which("man"), "man is not installed")
    def test_man_renders_without_warnings(self):
        result = subprocess.run(["man", "--warnings", "-l", MAN_PAGE], capture_output=True,
                                text=True, timeout=60,
                                env=dict(os.environ, MANWIDTH="80", MANPAGER="cat",
                                         PAGER="cat"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        self.assertIn("EXIT STATUS", result.stdout)
        self.assertIn("pj-ats configure greenhouse", result.stdout)


class CompletionFilesTest(unittest.TestCase):
    FILES = {"bash": BASH_COMPLETION, "zsh": ZSH_COMPLETION, "fish": FISH_COMPLETION}

    def mentions(self, text, shell, word, is_flag):
        if is_flag and shell == "fish":
            return re.search(r"-l %s(\s|$)" % re.escape(word[2:]), text) is not None
        return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(word), text) is not None

    def check_words(self, words, is_flag=False):
        for shell, path in self.FILES.items():
            text = read(path)
            for word in words:
                with self.subTest(shell=shell, word=word):
                    self.assertTrue(self.mentions(text, shell, word, is_flag),
                                    "%s completion does not know %s" % (shell, word))

    def test_contract_commands(self):
        self.check_words(CONTRACT_COMMANDS + CONFIGURE_TARGETS)
        for actions in GROUP_ACTIONS.values():
            self.check_words(actions)
        self.check_words(LEDGER_FLAGS, is_flag=True)

    @unittest.skipUnless(have_binary(), "PJATS_BIN is not set to the built pj-ats")
    def test_every_subcommand_and_flag_of_the_binary(self):
        commands = subcommands(help_text())
        targets = subcommands(help_text("configure"))
        self.check_words(commands + targets)
        flags = set(long_options(help_text()))
        for name in commands:
            flags.update(long_options(help_text(name)))
        for target in targets:
            flags.update(long_options(help_text("configure", target)))
        for group in GROUP_ACTIONS:
            actions = subcommands(help_text(group))
            self.check_words(actions)
            for action in actions:
                flags.update(long_options(help_text(group, action)))
        self.check_words(sorted(flags), is_flag=True)


class CompletionRunTest(unittest.TestCase):
    """Runs each shell's completion against a throwaway config with two profiles."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pjats-completion-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.home = os.path.join(self.tmp, "home")
        config_dir = os.path.join(self.home, ".config", "pj-ats")
        os.makedirs(config_dir, mode=0o700)
        self.config = os.path.join(config_dir, "config.toml")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(CONFIG_WITH_TWO_PROFILES)
        os.chmod(self.config, 0o600)
        self.other_config = os.path.join(self.tmp, "other.toml")
        with open(self.other_config, "w", encoding="utf-8") as f:
            f.write("[profiles.other]\n[profiles.other.source]\nkind = \"dir\"\n")
        self.records = os.path.join(self.tmp, "records")
        os.mkdir(self.records)
        for name in ("ids.txt", "id-list.csv", "note.md"):
            open(os.path.join(self.records, name), "w").close()
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("PJ_ATS_", "XDG_"))}
        self.env.update(HOME=self.home, NO_COLOR="1")

    # ---- bash ----
    def bash_complete(self, *words, env=None):
        """COMPREPLY for the command line `words` (the last one is being completed)."""
        script = textwrap.dedent("""\
            source "$1" || exit 90
            shift
            complete -p pj-ats >/dev/null || exit 91
            COMP_WORDS=("$@")
            COMP_CWORD=$(( $# - 1 ))
            COMP_LINE="$*"
            COMP_POINT=${#COMP_LINE}
            _pj_ats pj-ats "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """)
        result = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash",
                                 BASH_COMPLETION, *words],
                                capture_output=True, text=True, timeout=60,
                                env=env or self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        return sorted(line for line in result.stdout.splitlines() if line)

    def test_bash_subcommands(self):
        self.assertEqual(self.bash_complete("pj-ats", "s"),
                         ["sandbox", "send", "status", "sync"])
        self.assertEqual(self.bash_complete("pj-ats", ""), sorted(CONTRACT_COMMANDS))
        self.assertEqual(self.bash_complete("pj-ats", "--json", "-q", "l"), ["ledger", "link-job"])
        self.assertEqual(self.bash_complete("pj-ats", "ledger", ""), GROUP_ACTIONS["ledger"])
        self.assertEqual(self.bash_complete("pj-ats", "ledger", "export", "--o"), ["--output"])
        self.assertEqual(self.bash_complete("pj-ats", "configure", "ledger", "--s"), ["--sqlite"])
        self.assertEqual(self.bash_complete("pj-ats", "configure", ""), CONFIGURE_TARGETS)

    def test_bash_flags_of_each_command(self):
        self.assertEqual(
            [w for w in self.bash_complete("pj-ats", "send", "--") if w not in
             ("--profile", "--config", "--json", "--verbose", "--quiet", "--no-input",
              "--version", "--help")],
            sorted(["--to", "--job", "--posting", "--ids-from", "--file", "--rate", "--burst",
                    "--dry-run", "--force", "--on-behalf-of", "--pool", "--pool-stage",
                    "--prospect-owner", "--metrics-file"]))
        self.assertEqual(self.bash_complete("pj-ats", "sync", "--m"), ["--metrics-file"])
        self.assertEqual(self.bash_complete("pj-ats", "track", "--m"), ["--metrics-file"])
        self.assertEqual(self.bash_complete("pj-ats", "configure", "lever", "--client-"),
                         ["--client-id", "--client-secret-command", "--client-secret-file",
                          "--client-secret-stdin"])
        self.assertEqual(self.bash_complete("pj-ats", "configure", "greenhouse", "--e"),
                         ["--email"])
        self.assertEqual(self.bash_complete("pj-ats", "link-job", "--r"), ["--remove"])
        self.assertEqual(self.bash_complete("pj-ats", "sync", "--l"), ["--limit"])
        self.assertEqual(self.bash_complete("pj-ats", "sync", "--r"), ["--retry-failed"])
        self.assertEqual(self.bash_complete("pj-ats", "sandbox", "--f"), ["--fail-rate"])
        self.assertEqual(self.bash_complete("pj-ats", "ledger", "resolve", "--n"),
                         ["--no-input", "--not-sent"])
        self.assertEqual(self.bash_complete("pj-ats", "ledger", "list", "--"),
                         sorted(["--state", "--to", "--profile", "--config", "--json",
                                 "--verbose", "--quiet", "--no-input", "--version", "--help"]))

    def test_bash_values(self):
        self.assertEqual(self.bash_complete("pj-ats", "send", "--to", ""),
                         ["greenhouse", "lever"])
        # `--to=` is split into `--to`, `=` by bash.
        self.assertEqual(self.bash_complete("pj-ats", "send", "--to", "=", "l"), ["lever"])
        self.assertEqual(self.bash_complete("pj-ats", "postings", "--format", ""),
                         ["json", "jsonld", "table"])
        self.assertEqual(self.bash_complete("pj-ats", "postings", "--state", "p"),
                         ["pending", "published"])
        self.assertEqual(self.bash_complete("pj-ats", "ledger", "list", "--state", ""),
                         ["failed", "pending", "review", "sent"])
        self.assertEqual(self.bash_complete("pj-ats", "ledger", "resolve", "--to", "g"),
                         ["greenhouse"])
        self.assertEqual(self.bash_complete("pj-ats", "revoke", ""), ["greenhouse", "lever"])
        self.assertEqual(self.bash_complete("pj-ats", "revoke", "lever", ""), [])
        # A value of --to is not mistaken for `configure lever`.
        self.assertEqual(self.bash_complete("pj-ats", "send", "--to", "lever", "--pos"),
                         ["--posting"])

    def test_bash_profiles_from_the_config_file(self):
        self.assertEqual(self.bash_complete("pj-ats", "--profile", ""), ["acme", "staging-2"])
        self.assertEqual(self.bash_complete("pj-ats", "send", "--profile", "st"),
                         ["staging-2"])
        xdg = dict(self.env, XDG_CONFIG_HOME=os.path.join(self.home, ".config"), HOME="/")
        self.assertEqual(self.bash_complete("pj-ats", "--profile", "", env=xdg),
                         ["acme", "staging-2"])
        by_env = dict(self.env, PJ_ATS_CONFIG=self.other_config)
        self.assertEqual(self.bash_complete("pj-ats", "--profile", "", env=by_env), ["other"])
        self.assertEqual(self.bash_complete("pj-ats", "--config", self.other_config,
                                            "--profile", ""), ["other"])
        no_config = dict(self.env, HOME=self.tmp)
        self.assertEqual(self.bash_complete("pj-ats", "--profile", "", env=no_config), [])

    def test_bash_file_names(self):
        prefix = os.path.join(self.records, "id")
        expected = [os.path.join(self.records, n) for n in ("id-list.csv", "ids.txt")]
        self.assertEqual(self.bash_complete("pj-ats", "send", "--ids-from", prefix), expected)
        self.assertEqual(self.bash_complete("pj-ats", "send", "--file", prefix), expected)
        self.assertEqual(self.bash_complete("pj-ats", "--config", prefix), expected)
        self.assertEqual(
            self.bash_complete("pj-ats", "configure", "greenhouse", "--api-key-file", prefix),
            expected)
        self.assertEqual(
            self.bash_complete("pj-ats", "configure", "source", "--dir",
                               os.path.join(self.tmp, "rec")), [self.records])

    @unittest.skipUnless(shutil.which("shellcheck"), "shellcheck is not installed")
    def test_bash_completion_passes_shellcheck(self):
        result = subprocess.run(["shellcheck", "--shell=bash", BASH_COMPLETION],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    # ---- zsh ----
    @unittest.skipUnless(shutil.which("zsh"), "zsh is not installed")
    def test_zsh_syntax(self):
        result = subprocess.run(["zsh", "-n", ZSH_COMPLETION], capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        self.assertTrue(read(ZSH_COMPLETION).startswith("#compdef pj-ats\n"))

    def zsh_complete(self, line, env=None):
        """Matches zsh's completion system offers for `line`, typed in an interactive
        zsh on a pseudo-terminal (zsh/zpty) with a compadd wrapper printing each match."""
        driver = os.path.join(self.tmp, "driver.zsh")
        with open(driver, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(r"""
                zmodload zsh/zpty || exit 90
                zpty z zsh -f -i
                zpty -w z 'PROMPT=; fpath=(${(q)1} $fpath); autoload -U compinit; compinit -u -D'
                zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a hits; builtin compadd -A hits "$@"; local h; for h in $hits; do print -r -- "MATCH:$h"; done; builtin compadd "$@"; }'
                zpty -w z "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no; unsetopt AUTO_LIST BEEP"
                zpty -w z 'print -r -- READY$((6*7))'
                zpty -r z out '*READY42*' || exit 91
                zpty -w -n z "$2"$'\t'
                zpty -w z $'\C-u'
                zpty -w z 'print -r -- DONE$((6*7))'
                while zpty -r z out; do
                  [[ $out == *MATCH:* ]] && print -r -- ${${out#*MATCH:}%%$'\r'*}
                  [[ $out == *DONE42* ]] && break
                done
                zpty -d z
                """).replace("${(q)1}", os.path.dirname(ZSH_COMPLETION)))
        # The pseudo-terminal driver can lose a reply on a loaded machine: an empty answer
        # is retried (every expectation in these tests is non-empty).
        for _ in range(3):
            result = subprocess.run(["zsh", "-f", driver, "unused", line], capture_output=True,
                                    text=True, timeout=60, env=env or self.env)
            self.assertEqual(result.returncode, 0, result.stderr)
            matches = sorted(set(result.stdout.split()))
            if matches:
                break
        return matches

    @unittest.skipUnless(shutil.which("zsh"), "zsh is not installed")
    def test_zsh_completes(self):
        self.assertEqual(self.zsh_complete("pj-ats s"), ["sandbox", "send", "status", "sync"])
        self.assertEqual(self.zsh_complete("pj-ats configure "), CONFIGURE_TARGETS)
        self.assertEqual(self.zsh_complete("pj-ats send --to "), ["greenhouse", "lever"])
        self.assertEqual(self.zsh_complete("pj-ats postings --format "),
                         ["json", "jsonld", "table"])
        self.assertEqual(self.zsh_complete("pj-ats revoke "), ["greenhouse", "lever"])
        self.assertEqual(self.zsh_complete("pj-ats ledger "), GROUP_ACTIONS["ledger"])
        self.assertEqual(self.zsh_complete("pj-ats ledger list --state "),
                         ["failed", "pending", "review", "sent"])
        self.assertEqual(self.zsh_complete("pj-ats ledger resolve 1042 --not"), ["--not-sent"])
        self.assertEqual(self.zsh_complete("pj-ats ledger export --o"), ["--output"])
        self.assertEqual(self.zsh_complete("pj-ats configure ledger --s"), ["--sqlite"])
        self.assertEqual(self.zsh_complete("pj-ats sync --r"), ["--retry-failed"])
        self.assertEqual(self.zsh_complete("pj-ats configure lever --client-"),
                         ["--client-id", "--client-secret-command", "--client-secret-file",
                          "--client-secret-stdin"])
        self.assertEqual(self.zsh_complete("pj-ats --profile "), ["acme", "staging-2"])
        self.assertEqual(
            self.zsh_complete("pj-ats --config %s --profile " % self.other_config), ["other"])

    # ---- fish ----
    @unittest.skipUnless(shutil.which("fish"), "fish is not installed")
    def test_fish_syntax(self):
        result = subprocess.run(["fish", "--no-execute", FISH_COMPLETION],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")

    def fish_complete(self, line, env=None):
        result = subprocess.run(
            ["fish", "--no-config", "-c", 'source $argv[1]; complete -C $argv[2]',
             FISH_COMPLETION, line],
            capture_output=True, text=True, timeout=60, env=env or self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return sorted(line.split("\t")[0] for line in result.stdout.splitlines() if line)

    @unittest.skipUnless(shutil.which("fish"), "fish is not installed")
    def test_fish_completes(self):
        self.assertEqual(self.fish_complete("pj-ats s"), ["sandbox", "send", "status", "sync"])
        self.assertEqual(self.fish_complete("pj-ats "), sorted(CONTRACT_COMMANDS))
        self.assertEqual(self.fish_complete("pj-ats ledger "), GROUP_ACTIONS["ledger"])
        self.assertEqual(self.fish_complete("pj-ats configure ledger --s"), ["--sqlite"])
        self.assertEqual(self.fish_complete("pj-ats configure "), CONFIGURE_TARGETS)
        self.assertEqual(self.fish_complete("pj-ats send --to "), ["greenhouse", "lever"])
        self.assertEqual(self.fish_complete("pj-ats postings --state p"),
                         ["pending", "published"])
        self.assertEqual(self.fish_complete("pj-ats revoke "), ["greenhouse", "lever"])
        self.assertEqual(self.fish_complete("pj-ats revoke lever "), [])
        self.assertEqual(self.fish_complete("pj-ats ledger "), GROUP_ACTIONS["ledger"])
        self.assertEqual(self.fish_complete("pj-ats ledger list --state "),
                         ["failed", "pending", "review", "sent"])
        self.assertEqual(self.fish_complete("pj-ats ledger resolve 1042 --f"), ["--found"])
        self.assertEqual(self.fish_complete("pj-ats sync --r"), ["--retry-failed"])
        self.assertEqual(self.fish_complete("pj-ats send --to lever --pos"), ["--posting"])
        self.assertEqual(self.fish_complete("pj-ats --profile "), ["acme", "staging-2"])
        self.assertEqual(
            self.fish_complete("pj-ats --config %s --profile " % self.other_config), ["other"])
        prefix = os.path.join(self.records, "id")
        self.assertEqual(self.fish_complete("pj-ats send --ids-from " + prefix),
                         [os.path.join(self.records, n) for n in ("id-list.csv", "ids.txt")])


if __name__ == "__main__":
    unittest.main()
