"""End-to-end: the whole résumé reaches the recruiter (issue 25, items 1 and 2). A record
with the pre-1.0 basics.website, skill keywords, an earlier employer, a school, languages
and a certificate, under a one-word name, sent to Greenhouse and to Lever — checked in the
fakes' stores: Greenhouse `notes`/`websites`/names, the Lever opportunity's name and links
and its card note."""
import json
import os
import shutil
import tempfile
import unittest

from harness import SandboxTestCase

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER = "recruiter@acme.example"
WEBSITE = "https://zendaya.example.com"


def record(cid, name):
    return {
        "basics": {"name": name, "email": "c%s@example.com" % cid, "website": WEBSITE,
                   "summary": "Actor and producer."},
        "work": [
            {"name": "Wind Farm Co", "position": "Producer", "startDate": "2020-01"},
            {"company": "Solar Studio", "position": "Analyst", "startDate": "2015-06",
             "endDate": "2019-12", "highlights": ["Cut emissions 20%"]},
        ],
        "education": [{"institution": "Oakland School for the Arts", "area": "Theatre",
                       "studyType": "Diploma", "endDate": "2014"}],
        "skills": [{"name": "Languages", "keywords": ["Python", "Rust"]}],
        "languages": [{"language": "English", "fluency": "Native speaker"}],
        "certificates": [{"name": "PMP", "issuer": "PMI", "date": "2021-05"}],
        "meta": {"purposeJobs": {"id": cid}},
    }


PARTS = ("Languages: Python, Rust", "Analyst, Solar Studio, 2015-06 to 2019-12",
         "* Cut emissions 20%", "Diploma, Theatre, Oakland School for the Arts, until 2014",
         "Languages: English (Native speaker)", "PMP, PMI, 2021-05")


class ResumeFidelity(SandboxTestCase):

    def setUp(self):
        super().setUp()
        self.export = tempfile.mkdtemp(prefix="pjats-fidelity-")
        self.addCleanup(shutil.rmtree, self.export, True)
        os.makedirs(os.path.join(self.export, "candidates"))
        for cid, name in (("2001", "Zendaya"), ("2002", "郭海旭")):
            with open(os.path.join(self.export, "candidates", cid + ".json"), "w",
                      encoding="utf-8") as f:
                json.dump(record(cid, name), f, ensure_ascii=False)
        code, _, err = self.pj("configure", "source", "--dir", self.export)
        self.assertEqual(code, 0, err)

    def test_greenhouse_gets_every_part_and_a_one_word_name(self):
        code, _, err = self.pj("configure", "greenhouse", "--email", RECRUITER, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)
        code, out, err = self.pj("send", "2001", "2002", "--to", "greenhouse")
        self.assertEqual(code, 0, out + err)
        candidates = {c["body"]["external_id"]: c["body"]
                      for c in self.sandbox.state()["greenhouse"]["candidates"]}
        self.assertEqual(sorted(candidates), ["2001", "2002"])
        zendaya = candidates["2001"]
        self.assertEqual((zendaya["first_name"], zendaya["last_name"]),
                         ("Zendaya", "(single name)"))
        self.assertEqual(candidates["2002"]["first_name"], "郭海旭")
        self.assertEqual(zendaya["websites"], [{"url": WEBSITE, "type": "personal"}])
        self.assertEqual((zendaya["company"], zendaya["title"]), ("Wind Farm Co", "Producer"))
        for part in PARTS:
            self.assertIn(part, zendaya["notes"])

    def test_lever_gets_the_name_as_written_and_every_part_in_the_note(self):
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", RECRUITER, input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        code, out, err = self.pj("send", "2001", "2002", "--to", "lever")
        self.assertEqual(code, 0, out + err)
        state = self.sandbox.state()["lever"]
        names = sorted(o["body"]["name"] for o in state["opportunities"])
        self.assertEqual(names, sorted(["Zendaya", "郭海旭"]))
        for opportunity in state["opportunities"]:
            self.assertIn(WEBSITE, opportunity["body"]["links"])
        self.assertEqual(len(state["notes"]), 2)
        for note in state["notes"]:
            value = note["fields"][0]["value"]
            for part in PARTS + ("Links: " + WEBSITE,):
                self.assertIn(part, value)


if __name__ == "__main__":
    unittest.main()
