"""Contract tests of the Greenhouse Candidate Ingestion fake served by pj-ats-sandbox.

Each test states one rule of greenhouse-ingestion-api.md and checks that the fake accepts
or refuses exactly as documented, so passing against the fake means something.
"""
import base64
import copy
import http.client
import json
import ssl
import unittest

from harness import Sandbox, SandboxTestCase, make_tls_ca, reference_json

KEY = "gh_sandbox_0d031d8227eafa61dc37"
EMAIL = "recruiter@acme.example"
CANDIDATES = "/v1/partner/candidates"


def basic(text):
    return "Basic " + base64.b64encode(text.encode()).decode()


GOOD_AUTH = basic(KEY + ":")


def prospect(**extra):
    body = {"first_name": "Maya", "last_name": "Okonkwo", "external_id": "1042", "prospect": True}
    body.update(extra)
    return body


class GreenhouseFakeBase(SandboxTestCase):

    def gh(self, method, path, body=None, auth=GOOD_AUTH, email=EMAIL, headers=None,
           content_type="application/json"):
        h = {}
        if auth is not None:
            h["Authorization"] = auth
        if email is not None:
            h["On-Behalf-Of"] = email
        if body is not None:
            h["Content-Type"] = content_type
            if not isinstance(body, (str, bytes)):
                body = json.dumps(body)
        h.update(headers or {})
        return self.sandbox.request(method, path, body=body, headers=h)

    def post(self, body, **kw):
        return self.gh("POST", CANDIDATES, body, **kw)

    def candidates(self):
        return self.sandbox.state()["greenhouse"]["candidates"]

    def assert_refused(self, res, status, field=None, text=None):
        self.assertEqual(res.status, status, res)
        errors = res.json()["errors"]
        self.assertTrue(errors and all("message" in e for e in errors), res)
        if field is not None:
            self.assertIn(field, [e.get("field") for e in errors], res)
        if text is not None:
            self.assertIn(text, " ".join(e["message"] for e in errors))


class Authentication(GreenhouseFakeBase):
    def test_current_user_with_basic_key_colon_and_on_behalf_of(self):
        res = self.gh("GET", "/v1/partner/current_user")
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json(), {"full_name": "Riley Recruiter", "first_name": "Riley",
                                      "last_name": "Recruiter", "email": EMAIL, "id": 1234})

    def test_wrongly_built_authorization_headers_get_401(self):
        b64_no_colon = base64.b64encode(KEY.encode()).decode()
        for auth in (basic(KEY),                       # no colon inside the base64
                     "Basic " + b64_no_colon + ":",    # colon after the base64 (togglhire bug)
                     basic(KEY + ":secret"),           # a password
                     basic("wrong-key:"),
                     "Bearer " + KEY,
                     "Basic",
                     None):
            with self.subTest(auth=auth):
                res = self.gh("GET", "/v1/partner/current_user", auth=auth)
                self.assert_refused(res, 401, text="Invalid Basic Auth credentials")

    def test_on_behalf_of_missing_unknown_or_disabled_gets_401(self):
        for email in (None, "nobody@acme.example", "disabled@acme.example"):
            with self.subTest(email=email):
                res = self.gh("GET", "/v1/partner/jobs", email=email)
                self.assert_refused(res, 401, text="On-Behalf-Of")
                self.assertNotIn(email or "@", res.body.decode())

    def test_every_endpoint_requires_credentials(self):
        for method, path in (("GET", "/v1/partner/jobs"), ("GET", "/v1/partner/prospect_pools"),
                             ("GET", CANDIDATES + "?candidate_ids=1"), ("POST", CANDIDATES)):
            with self.subTest(path=path):
                res = self.gh(method, path, body=prospect() if method == "POST" else None,
                              auth=None)
                self.assertEqual(res.status, 401, res)
        self.assertEqual(self.candidates(), [])
        self.assertEqual(self.sandbox.state()["counters"]["unauthorized"], 4)

    def test_get_with_a_body_is_403(self):
        res = self.gh("GET", "/v1/partner/jobs", body={"candidate_ids": 1})
        self.assert_refused(res, 403)

    def test_unknown_route_is_404_with_an_errors_body(self):
        self.assert_refused(self.gh("GET", "/v1/partner/nothing"), 404)


class Reading(GreenhouseFakeBase):
    def test_jobs_are_open_and_shaped_like_the_docs(self):
        res = self.gh("GET", "/v1/partner/jobs")
        self.assertEqual(res.status, 200, res)
        jobs = res.json()
        documented = reference_json("greenhouse-ingestion-docs", "json",
                                    "get_jobs_response.json")
        self.assertEqual([(j["id"], j["status"], j["public"]) for j in jobs],
                         [(4690, "open", True), (4691, "open", False)])
        for job in jobs:
            self.assertEqual(set(job), set(documented[0]))

    def test_current_user_has_the_documented_fields(self):
        documented = reference_json("greenhouse-ingestion-docs", "json",
                                    "get_current_user_response.json")
        self.assertEqual(set(self.gh("GET", "/v1/partner/current_user").json()), set(documented))

    def test_prospect_pools(self):
        pools = self.gh("GET", "/v1/partner/prospect_pools").json()
        self.assertEqual([p["id"] for p in pools], [123, 456])
        self.assertTrue(all(p["stages"] for p in pools))

    def test_get_candidates_by_id_drops_unknown_ids_and_is_always_an_array(self):
        first = self.post(prospect()).json()
        second = self.post(prospect(external_id="1043", prospect=False, job_id=4690)).json()
        res = self.gh("GET", CANDIDATES + "?candidate_ids=%d,%d,999" % (first["id"], second["id"]))
        self.assertEqual(res.status, 200, res)
        got = res.json()
        self.assertEqual([c["id"] for c in got], [first["id"], second["id"]])
        self.assertEqual(got[1]["applications"][0]["job"], "Senior Engineer")
        self.assertEqual(got[0]["external_id"], "1042")
        one = self.gh("GET", CANDIDATES + "?candidate_ids=%d" % first["id"]).json()
        self.assertIsInstance(one, list)
        self.assertEqual(self.gh("GET", CANDIDATES + "?candidate_ids=5").json(), [])

    def test_get_candidates_needs_integer_candidate_ids(self):
        self.assert_refused(self.gh("GET", CANDIDATES), 400, field="candidate_ids")
        self.assert_refused(self.gh("GET", CANDIDATES + "?candidate_ids=1,abc"), 400,
                            field="candidate_ids")


class Posting(GreenhouseFakeBase):
    def test_prospect_without_pool_is_created_and_recorded(self):
        res = self.post(prospect())
        self.assertEqual(res.status, 200, res)
        got = res.json()
        documented = reference_json("greenhouse-ingestion-docs", "json",
                                    "post_candidates_response.json")
        self.assertEqual(set(got), set(documented))
        self.assertEqual(got["external_id"], "1042")
        self.assertIn("application_id=%d" % got["application_id"], got["profile_url"])
        [created] = self.candidates()
        self.assertEqual(created["id"], got["id"])
        self.assertEqual(created["body"], prospect())
        self.assertEqual(created["on_behalf_of"], EMAIL)

    def test_array_in_array_out(self):
        res = self.post([prospect(), prospect(external_id="1043")])
        self.assertEqual(res.status, 200, res)
        got = res.json()
        self.assertIsInstance(got, list)
        self.assertEqual([c["external_id"] for c in got], ["1042", "1043"])
        self.assertEqual(len(self.candidates()), 2)

    def test_one_invalid_element_refuses_the_whole_array(self):
        res = self.post([prospect(), prospect(external_id=7)])
        self.assert_refused(res, 400, field="external_id")
        self.assertEqual(self.candidates(), [])

    def test_body_must_be_an_object_or_a_non_empty_array_of_objects(self):
        for body in ([], "\"text\"", "42", [1], "null"):
            with self.subTest(body=body):
                self.assertEqual(self.post(body if isinstance(body, str) else body).status, 400)
        self.assertEqual(self.candidates(), [])

    def test_invalid_json_and_wrong_content_type_are_400(self):
        self.assert_refused(self.post("{not json"), 400, text="invalid JSON")
        self.assert_refused(self.post(json.dumps(prospect()), content_type="text/plain"), 400)
        self.assert_refused(self.post(json.dumps(prospect()),
                                      content_type="application/x-www-form-urlencoded"), 400)
        self.assertEqual(self.post(prospect(), content_type="application/json; charset=utf-8")
                         .status, 200)

    def test_required_fields_are_non_empty_strings(self):
        for field in ("first_name", "last_name", "external_id"):
            for bad in (None, "", 1042, ["x"]):
                body = prospect()
                if bad is None:
                    del body[field]
                else:
                    body[field] = bad
                with self.subTest(field=field, value=bad):
                    self.assert_refused(self.post(body), 400, field=field)
        self.assertEqual(self.candidates(), [])

    def test_prospect_must_be_a_json_boolean(self):
        for bad in ("true", 1, "false"):
            with self.subTest(prospect=bad):
                self.assert_refused(self.post(prospect(prospect=bad)), 400, field="prospect")

    def test_prospect_defaults_to_true(self):
        body = prospect()
        del body["prospect"]
        self.assertEqual(self.post(body).status, 200)

    def test_candidate_on_a_job_needs_a_known_integer_job_id(self):
        self.assert_refused(self.post(prospect(prospect=False)), 400, field="job_id")
        self.assert_refused(self.post(prospect(prospect=False, job_id="4690")), 400,
                            field="job_id")
        res = self.post(prospect(prospect=False, job_id=9999))
        self.assert_refused(res, 400, field="job_id", text="Job 9999 not found or not accessible")
        self.assertEqual(self.post(prospect(prospect=False, job_id=4690)).status, 200)
        self.assertEqual(self.post(prospect(job_id=4691)).status, 200, "a prospect may carry one")
        self.assertEqual(len(self.candidates()), 2)

    def test_unknown_top_level_fields_are_refused_by_name(self):
        for field, value in (("tags", ["Purpose Jobs"]), ("source_id", 7), ("email", "a@b.c"),
                             ("website", [{"url": "https://x.example", "type": "blog"}])):
            with self.subTest(field=field):
                self.assert_refused(self.post(prospect(**{field: value})), 400, field=field)

    def test_array_fields_are_checked_per_element(self):
        bad = {
            "phone_numbers": [{"phone_number": "555-0142", "type": "cell"}],
            "emails": [{"email": "maya@example.com"}],
            "addresses": [{"address": "1 Main St", "type": "office"}],
            "social_media": [{"url": "https://linkedin.com/in/maya", "type": "linkedin"}],
            "websites": [{"url": "https://maya.example", "type": "homepage"}],
        }
        fields = {"phone_numbers": "phone_numbers[0].type", "emails": "emails[0].type",
                  "addresses": "addresses[0].type", "social_media": "social_media[0].type",
                  "websites": "websites[0].type"}
        for name, value in bad.items():
            with self.subTest(field=name):
                self.assert_refused(self.post(prospect(**{name: value})), 400, field=fields[name])
        self.assert_refused(self.post(prospect(emails="maya@example.com")), 400, field="emails")
        self.assert_refused(self.post(prospect(emails=[{"email": "", "type": "work"}])), 400,
                            field="emails[0].email")
        good = prospect(
            phone_numbers=[{"phone_number": "555-0142", "type": t} for t in
                           ("mobile", "home", "work", "other")],
            emails=[{"email": "maya@example.com", "type": t}
                    for t in ("personal", "work", "other")],
            addresses=[{"address": "1 Main St\nSpringfield", "type": "home"}],
            social_media=[{"url": "https://linkedin.com/in/maya"}],
            websites=[{"url": "https://maya.example", "type": t} for t in
                      ("personal", "company", "portfolio", "blog", "other")],
            company="Acme", title="Engineer", notes="Skills: C++",
            resume="https://cv.example/m.pdf",
            referrer={"email": EMAIL, "first_name": "Riley", "last_name": "Recruiter"})
        res = self.post(good)
        self.assertEqual(res.status, 200, res)
        self.assertEqual(len(self.candidates()), 1)

    def test_resume_must_be_a_url_and_referrer_an_object(self):
        self.assert_refused(self.post(prospect(resume="/home/maya/cv.pdf")), 400, field="resume")
        self.assert_refused(self.post(prospect(referrer="Riley")), 400, field="referrer")
        self.assert_refused(self.post(prospect(referrer={})), 400, field="referrer")
        self.assert_refused(self.post(prospect(notes=["a"])), 400, field="notes")

    def test_prospect_pool_fields_need_prospect_true_and_must_exist(self):
        self.assert_refused(self.post(prospect(prospect=False, job_id=4690, prospect_pool_id=123)),
                            400, field="prospect_pool_id")
        self.assert_refused(self.post(prospect(prospect_pool_stage_id=1957)), 400,
                            field="prospect_pool_id")
        self.assert_refused(self.post(prospect(prospect_pool_id=999)), 400,
                            field="prospect_pool_id")
        self.assert_refused(self.post(prospect(prospect_pool_id=123, prospect_pool_stage_id=1962)),
                            400, field="prospect_pool_stage_id")
        self.assert_refused(self.post(prospect(prospect_owner_email="nobody@acme.example")), 400,
                            field="prospect_owner_email")
        ok = prospect(prospect_pool_id=123, prospect_pool_stage_id=1957,
                      prospect_owner_email=EMAIL)
        self.assertEqual(self.post(ok).status, 200)

    def test_the_docs_example_is_refused_only_for_its_string_prospect(self):
        example = reference_json("greenhouse-ingestion-docs", "json",
                                 "post_candidates_request.json")
        self.assert_refused(self.post(example), 400, field="prospect")
        fixed = copy.deepcopy(example)
        fixed["prospect"] = True
        del fixed["job_id"]  # 12345 is not one of the sandbox's jobs
        fixed.update(prospect_pool_stage_id=1957, prospect_owner_email=EMAIL)
        res = self.post(fixed)
        self.assertEqual(res.status, 200, res)

    def test_no_dedupe_a_repeated_post_creates_another_candidate(self):
        a = self.post(prospect()).json()
        b = self.post(prospect()).json()
        self.assertNotEqual(a["id"], b["id"])
        self.assertEqual(len(self.candidates()), 2)


class Faults(GreenhouseFakeBase):
    def test_status_rule_answers_without_processing_then_expires(self):
        self.sandbox.faults([{"method": "POST", "path": CANDIDATES, "action": "status",
                              "status": 503, "retry_after": "2", "times": 2}])
        for _ in range(2):
            res = self.post(prospect())
            self.assert_refused(res, 503)
            self.assertEqual(res.headers.get("retry-after"), "2")
        self.assertEqual(self.candidates(), [])
        self.assertEqual(self.post(prospect()).status, 200)
        self.assertEqual(len(self.candidates()), 1)

    def test_rules_match_method_and_path(self):
        self.sandbox.faults([{"method": "GET", "path": CANDIDATES, "action": "status",
                              "status": 500}])
        self.assertEqual(self.post(prospect()).status, 200)
        self.assertEqual(self.gh("GET", CANDIDATES + "?candidate_ids=1").status, 500)

    def test_drop_before_closes_without_creating(self):
        self.sandbox.faults([{"path": CANDIDATES, "action": "drop_before"}])
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.post(prospect())
        self.assertEqual(self.candidates(), [])
        self.assertEqual(self.sandbox.state()["counters"]["dropped"], 1)

    def test_drop_after_creates_then_cuts_the_response(self):
        self.sandbox.faults([{"method": "POST", "path": CANDIDATES, "action": "drop_after"}])
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.post(prospect())
        self.assertEqual(len(self.candidates()), 1)

    def test_delay_still_processes(self):
        self.sandbox.faults([{"path": CANDIDATES, "action": "delay", "ms": 50}])
        self.assertEqual(self.post(prospect()).status, 200)

    def test_bad_rules_are_refused_and_reset_clears_rules(self):
        for rules in ({"path": "/x"}, [{"path": "/x", "action": "explode"}], [{"action": "status"}],
                      [{"path": "/x", "action": "status", "status": 42}]):
            with self.subTest(rules=rules):
                res = self.sandbox.request("POST", "/_sandbox/faults", body=json.dumps(rules))
                self.assertEqual(res.status, 400, res)
        self.sandbox.faults([{"path": CANDIDATES, "action": "status", "status": 500}])
        self.sandbox.reset()
        self.assertEqual(self.post(prospect()).status, 200)

    def test_control_api_is_not_counted(self):
        self.gh("GET", "/v1/partner/jobs")
        before = self.sandbox.state()["counters"]
        self.sandbox.state()
        self.sandbox.faults([])
        self.assertEqual(self.sandbox.state()["counters"], before)
        self.assertEqual(before["requests"], {"GET /v1/partner/jobs": 1})


class FailRate(GreenhouseFakeBase):
    sandbox_args = ("--fail-rate", "1", "--seed", "7")

    def test_fail_rate_one_answers_503_before_processing(self):
        res = self.post(prospect())
        self.assert_refused(res, 503)
        self.assertEqual(self.candidates(), [])


class RateLimit(GreenhouseFakeBase):
    sandbox_args = ("--greenhouse-rate", "0.01", "--greenhouse-burst", "2")

    def test_over_the_limit_is_429_with_retry_after_and_ratelimit_headers(self):
        first = self.gh("GET", "/v1/partner/jobs")
        self.assertEqual(first.status, 200)
        self.assertEqual(first.headers["x-ratelimit-limit"], "2")
        self.assertEqual(first.headers["x-ratelimit-remaining"], "1")
        self.assertEqual(self.gh("GET", "/v1/partner/jobs").status, 200)
        res = self.gh("GET", "/v1/partner/jobs")
        self.assert_refused(res, 429)
        self.assertGreaterEqual(int(res.headers["retry-after"]), 1)
        self.assertIn("x-ratelimit-reset", res.headers)
        self.assertEqual(self.sandbox.state()["counters"]["rate_limited"], 1)


class Lifecycle(unittest.TestCase):
    def test_banner_names_the_sample_credentials_and_sigterm_exits_0(self):
        with Sandbox() as sandbox:
            info = sandbox.info
            self.assertEqual(info["greenhouse_api_key"], KEY)
            self.assertEqual(info["greenhouse_on_behalf_of"], EMAIL)
            self.assertEqual(info["greenhouse_job_ids"], "4690,4691")
            self.assertEqual(info["lever_api_key"], "lever_sandbox_6a1f0c")
            self.assertEqual(info["lever_oauth_client_id"], "pjats-sandbox-client")
            self.assertTrue(sandbox.url.startswith("http://127.0.0.1:"))
        self.assertEqual(sandbox.exit_code, 0)

    def test_bad_flags_exit_2(self):
        sandbox = Sandbox("--fail-rate", "2")
        with self.assertRaises(RuntimeError):
            sandbox.__enter__()
        self.assertEqual(sandbox.exit_code, 2)


class Https(unittest.TestCase):
    def test_https_with_the_harness_ca(self):
        with Sandbox(tls=make_tls_ca()) as sandbox:
            self.assertTrue(sandbox.url.startswith("https://127.0.0.1:"))
            res = sandbox.request("GET", "/v1/partner/current_user",
                                  headers={"Authorization": GOOD_AUTH, "On-Behalf-Of": EMAIL})
            self.assertEqual(res.status, 200, res)
            with self.assertRaises(ssl.SSLError):
                sandbox.request("GET", "/v1/partner/jobs", ca=False)

    def test_missing_tls_key_is_a_start_error(self):
        tls = make_tls_ca()
        with self.assertRaises(RuntimeError):
            with Sandbox("--tls-cert", tls["cert"]):
                pass


if __name__ == "__main__":
    unittest.main()
