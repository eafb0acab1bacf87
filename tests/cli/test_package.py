"""scripts/package.sh: the .deb holds the binaries, man page, completions and systemd
units at Debian's paths, declares its run-time dependencies (libcurl4 and libpq5 included,
which are dlopen'ed) with the versions README.md gives, and the pj-ats it installs runs; the
units pass `systemd-analyze verify`. Packages the build tree under test (--build-dir) so
it stays fast.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

SOURCE_DIR = os.environ.get("PJATS_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", ".."))
PJATS_BIN = os.environ.get("PJATS_BIN", "")
EXPECTED_FILES = [
    "./usr/bin/pj-ats",
    "./usr/bin/pj-ats-sandbox",
    "./usr/share/man/man1/pj-ats.1.gz",
    "./usr/share/bash-completion/completions/pj-ats",
    "./usr/share/zsh/vendor-completions/_pj-ats",
    "./usr/share/fish/vendor_completions.d/pj-ats.fish",
    "./lib/systemd/system/pj-ats-sync@.service",
    "./lib/systemd/system/pj-ats-sync@.timer",
    "./usr/lib/sysusers.d/pj-ats.conf",
]


def unit_settings(text):
    """{key: [values]} of a unit file."""
    pairs = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            pairs.setdefault(key, []).append(value)
    return pairs


def systemd_verify(test, directory, units, man_dir):
    """Runs `systemd-analyze verify` on `units` (paths under `directory`); fails on any
    message about them. Skips only when systemd-analyze cannot run at all."""
    if not shutil.which("systemd-analyze"):
        test.skipTest("systemd-analyze is not installed (scripts/install-deps.sh --test)")
    env = dict(os.environ, MANPATH=man_dir + ":")
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True,
                            text=True, env=env, timeout=120)
    if "Failed to initialize manager" in result.stderr:
        test.skipTest("systemd-analyze cannot run here: " + result.stderr.strip())
    ours = [line for line in result.stderr.splitlines()
            if directory in line or "pj-ats-sync" in line]
    test.assertEqual(ours, [])
    test.assertEqual(result.returncode, 0, result.stderr)


def tools_present():
    return all(shutil.which(t) for t in ("dpkg-deb", "dpkg-shlibdeps", "dpkg", "cmake"))


@unittest.skipUnless(PJATS_BIN and tools_present(), "needs PJATS_BIN and dpkg-dev")
class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="pjats-deb-")
        build_dir = os.path.dirname(os.path.dirname(os.path.realpath(PJATS_BIN)))
        result = subprocess.run(
            [os.path.join(SOURCE_DIR, "scripts", "package.sh"), "--build-dir", build_dir,
             "--out", os.path.join(cls.scratch, "out")],
            capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise AssertionError("package.sh failed: %s%s" % (result.stdout, result.stderr))
        cls.deb = result.stdout.strip().splitlines()[-1]
        cls.version = subprocess.run([PJATS_BIN, "--version"], capture_output=True,
                                     text=True).stdout.split()[1]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "-f", self.deb, name], capture_output=True,
                              text=True, check=True).stdout.strip()

    def test_file_name_and_control_fields(self):
        arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                              text=True, check=True).stdout.strip()
        self.assertEqual(os.path.basename(self.deb),
                         "pj-ats_%s_%s.deb" % (self.version, arch))
        self.assertEqual(self.field("Package"), "pj-ats")
        self.assertEqual(self.field("Version"), self.version)
        self.assertEqual(self.field("Architecture"), arch)
        depends = [d.strip().split(" ")[0] for d in self.field("Depends").split(",")]
        for needed in ("libcurl4", "libc6", "libstdc++6", "libsqlite3-0"):
            self.assertIn(needed, depends)
        self.assertNotIn("libpq5", depends)

    def test_dlopened_libraries_match_the_readme(self):
        with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as f:
            readme = " ".join(f.read().split())
        curl = re.search(r"`libcurl4` \((\d+\.\d+) or newer", readme).group(1)
        pq = re.search(r"`libpq5` \((\d+\.\d+) or newer", readme).group(1)
        self.assertIn("libcurl4 (>= %s.0)" % curl, self.field("Depends"))
        self.assertEqual(self.field("Recommends"), "libpq5 (>= %s)" % pq)

    def test_systemd_units_are_disabled_templates_for_a_profile(self):
        root = os.path.join(self.scratch, "units-root")
        subprocess.run(["dpkg", "-x", self.deb, root], check=True)
        unit_dir = os.path.join(root, "lib", "systemd", "system")
        with open(os.path.join(unit_dir, "pj-ats-sync@.service"), encoding="utf-8") as f:
            service = unit_settings(f.read())
        with open(os.path.join(unit_dir, "pj-ats-sync@.timer"), encoding="utf-8") as f:
            timer = unit_settings(f.read())
        self.assertEqual(service["Type"], ["oneshot"])
        self.assertEqual(service["ExecStart"], ["/usr/bin/pj-ats --no-input --profile %i sync"])
        self.assertEqual(service["User"], ["pj-ats"])
        self.assertEqual(service["SuccessExitStatus"], ["8"])
        self.assertNotIn("StandardOutput", service)  # the journal
        self.assertEqual(timer["OnCalendar"], ["*:0/15"])
        self.assertEqual(timer["Persistent"], ["yes"])
        self.assertIn("RandomizedDelaySec", timer)
        self.assertEqual(timer["WantedBy"], ["timers.target"])
        # Disabled by default: nothing under /etc enables them, and postinst enables nothing.
        listing = subprocess.run(["dpkg-deb", "-c", self.deb], capture_output=True,
                                 text=True, check=True).stdout
        self.assertNotIn("./etc/systemd", listing)
        control = os.path.join(self.scratch, "control")
        subprocess.run(["dpkg-deb", "-e", self.deb, control], check=True)
        with open(os.path.join(control, "postinst"), encoding="utf-8") as f:
            postinst = f.read()
        self.assertIn("systemd-sysusers pj-ats.conf", postinst)
        self.assertNotIn("enable", postinst)
        with open(os.path.join(root, "usr", "lib", "sysusers.d", "pj-ats.conf"),
                  encoding="utf-8") as f:
            self.assertRegex(f.read(), r"(?m)^u pj-ats - .* /var/lib/pj-ats$")

    def test_shipped_units_pass_systemd_analyze_verify(self):
        root = os.path.join(self.scratch, "verify-root")
        subprocess.run(["dpkg", "-x", self.deb, root], check=True)
        work = os.path.join(self.scratch, "verify")
        os.makedirs(work)
        # As shipped, except that ExecStart names the extracted binary (verify checks that
        # it exists and /usr/bin/pj-ats is not installed here).
        for name in ("pj-ats-sync@.service", "pj-ats-sync@.timer"):
            with open(os.path.join(root, "lib", "systemd", "system", name),
                      encoding="utf-8") as f:
                text = f.read()
            text = text.replace("ExecStart=/usr/bin/pj-ats",
                                "ExecStart=" + os.path.join(root, "usr", "bin", "pj-ats"))
            with open(os.path.join(work, name), "w", encoding="utf-8") as f:
                f.write(text)
        man = os.path.join(work, "man")
        os.makedirs(os.path.join(man, "man1"))
        shutil.copy(os.path.join(root, "usr", "share", "man", "man1", "pj-ats.1.gz"),
                    os.path.join(man, "man1"))
        systemd_verify(self, work, [os.path.join(work, "pj-ats-sync@acme.service"),
                                    os.path.join(work, "pj-ats-sync@acme.timer")], man)


    def test_contents(self):
        listing = subprocess.run(["dpkg-deb", "-c", self.deb], capture_output=True, text=True,
                                 check=True).stdout
        paths = [line.split()[-1] for line in listing.splitlines()]
        for expected in EXPECTED_FILES:
            self.assertIn(expected, paths)
        owners = {line.split()[1] for line in listing.splitlines()}
        self.assertEqual(owners, {"root/root"})

    def test_extracted_binaries_run(self):
        root = os.path.join(self.scratch, "root")
        subprocess.run(["dpkg", "-x", self.deb, root], check=True)
        result = subprocess.run([os.path.join(root, "usr", "bin", "pj-ats"), "--version"],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "pj-ats " + self.version)
        result = subprocess.run([os.path.join(root, "usr", "bin", "pj-ats-sandbox"), "--help"],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        man = subprocess.run(["gzip", "-dc",
                              os.path.join(root, "usr", "share", "man", "man1", "pj-ats.1.gz")],
                             capture_output=True, check=True).stdout
        self.assertIn(b".TH", man)



@unittest.skipUnless(PJATS_BIN and shutil.which("cmake"), "needs PJATS_BIN and cmake")
class CmakeInstallTest(unittest.TestCase):
    def test_installed_units_name_the_installed_binary_and_verify(self):
        build_dir = os.path.dirname(os.path.dirname(os.path.realpath(PJATS_BIN)))
        with tempfile.TemporaryDirectory(prefix="pjats-install-") as prefix:
            subprocess.run(["cmake", "--install", build_dir, "--prefix", prefix],
                           check=True, capture_output=True, timeout=300)
            unit_dir = os.path.join(prefix, "lib", "systemd", "system")
            with open(os.path.join(unit_dir, "pj-ats-sync@.service"), encoding="utf-8") as f:
                service = unit_settings(f.read())
            self.assertEqual(service["ExecStart"],
                             [os.path.join(prefix, "bin", "pj-ats")
                              + " --no-input --profile %i sync"])
            systemd_verify(self, unit_dir,
                           [os.path.join(unit_dir, "pj-ats-sync@acme.service"),
                            os.path.join(unit_dir, "pj-ats-sync@acme.timer")],
                           os.path.join(prefix, "share", "man"))


if __name__ == "__main__":
    unittest.main()
