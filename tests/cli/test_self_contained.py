"""The repository tests itself: no test, build file or script reads anything outside the
clone (a fixture from another project is copied into tests/fixtures with its licence), so
`git clone` to any directory, then the README's two commands, pass."""
import os
import re
import unittest

SOURCE_DIR = os.environ.get("PJATS_SOURCE_DIR",
                            os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# Paths that would only resolve beside this checkout (the research notes' folder).
OUTSIDE = re.compile(r"shared/reference|/work/shared|\.\./\.\./\.\./shared")
CHECKED_DIRS = ["tests", "cmake", "scripts", "fuzz", "bench", "lib", "cmd", ".ci"]
CHECKED_FILES = ["CMakeLists.txt"]
TEXT_SUFFIXES = (".py", ".cpp", ".hpp", ".h", ".txt", ".cmake", ".sh", ".json", "run")


class SelfContained(unittest.TestCase):
    def files(self):
        for name in CHECKED_FILES:
            yield os.path.join(SOURCE_DIR, name)
        for folder in CHECKED_DIRS:
            for root, _dirs, names in os.walk(os.path.join(SOURCE_DIR, folder)):
                for name in names:
                    if name.endswith(TEXT_SUFFIXES):
                        yield os.path.join(root, name)

    def test_nothing_reads_outside_the_repository(self):
        offenders = []
        me = os.path.abspath(__file__)
        for path in self.files():
            if os.path.abspath(path) == me:
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    if OUTSIDE.search(line):
                        offenders.append(f"{os.path.relpath(path, SOURCE_DIR)}:{number}: {line.strip()}")
        self.assertEqual(offenders, [])

    def test_every_copied_fixture_names_its_origin_and_licence(self):
        fixtures = os.path.join(SOURCE_DIR, "tests", "fixtures")
        for name in sorted(os.listdir(fixtures)):
            folder = os.path.join(fixtures, name)
            if not os.path.isdir(folder) or name in ("records", "lever"):
                continue  # our own hand-written payloads
            with self.subTest(folder=name):
                entries = os.listdir(folder)
                self.assertIn("README.md", entries)
                self.assertTrue(any(e.upper().startswith("LICENSE") for e in entries), entries)
                with open(os.path.join(folder, "README.md"), encoding="utf-8") as f:
                    text = f.read()
                self.assertIn("Origin:", text)
                self.assertIn("Licence:", text)


if __name__ == "__main__":
    unittest.main()
