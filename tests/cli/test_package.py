"""scripts/package.sh: the .deb holds the binaries, man page and completions at Debian's
paths, declares its run-time dependencies (libcurl4 included, which is dlopen'ed), and the
pj-ats it installs runs. Packages the build tree under test (--build-dir) so it stays fast.
"""
import os
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
]


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


if __name__ == "__main__":
    unittest.main()
