"""Contract tests of the Lever v1 and Lever OAuth fakes served by pj-ats-sandbox.

Each test states one rule of lever-api.md and checks that the fake accepts or refuses
exactly as documented, so passing against the fake means something.
"""
import base64
import http.client
import json
import threading
import unittest
import urllib.parse

from harness import Sandbox, SandboxTestCase, encode_multipart, make_tls_ca, reference_json

KEY = "lever_sandbox_6a1f0c"
RECRUITER = "7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61"
ADMIN = "2b8e4f6a-9c1d-4e3f-8a7b-6c5d4e3f2a10"
DEACTIVATED = "9d1e2f3a-4b5c-4d6e-8f7a-0b1c2d3e4f5a"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
CLOSED = "closed00-1a2b-4c3d-9e8f-abcdef123456"
CLIENT_ID = "pjats-sandbox-client"
CLIENT_SECRET = "pjats-sandbox-secret"
REDIRECT = "http://127.0.0.1:53682/callback"
SCOPES = ("offline_access opportunities:write:admin postings:read:admin users:read:admin "
          "stages:read:admin")
BASIC = "Basic " + base64.b64encode((KEY + ":").encode()).decode()
CREATE = "/v1/opportunities?perform_as=" + RECRUITER


def candidate(**extra):
    body = {"name": "Maya Okonkwo", "headline": "Engineer", "location": "Lagos",
            "emails": ["maya.okonkwo@example.com"],
            "phones": [{"type": "mobile", "value": "555-0142"}],
            "links": ["https://linkedin.com/in/maya"], "tags": ["Purpose Jobs"],
            "sources": ["Purpose Jobs"], "origin": "sourced"}
    body.update(extra)
    return body


class LeverFakeBase(SandboxTestCase):
    sandbox_args = ("--lever-rate", "0")

    def lever(self, method, path, body=None, auth=BASIC, content_type="application/json"):
        headers = {}
        if auth is not None:
            headers["Authorization"] = auth
        if body is not None:
            headers["Content-Type"] = content_type
            if not isinstance(body, (str, bytes)):
                body = json.dumps(body)
        return self.sandbox.request(method, path, body=body, headers=headers)

    def create(self, body, path=CREATE, **kw):
        return self.lever("POST", path, body, **kw)

    def create_form(self, parts, path=CREATE):
        body, ctype = encode_multipart(parts)
        return self.lever("POST", path, body, content_type=ctype)

    def opportunities(self):
        return self.sandbox.state()["lever"]["opportunities"]

    def assert_error(self, res, status, code=None, text=None):
        self.assertEqual(res.status, status, res)
        body = res.json()
        self.assertEqual(set(body), {"code", "message"}, res)
        if code:
            self.assertEqual(body["code"], code)
        if text:
            self.assertIn(text, body["message"])

    def walk(self, path, limit):
        """Follows `next` (re-encoded as a query value) until hasNext is false."""
        items, offset, pages = [], None, 0
        while True:
            sep = "&" if "?" in path else "?"
            url = path + sep + "limit=%d" % limit
            if offset is not None:
                url += "&offset=" + urllib.parse.quote(offset, safe="")
            res = self.lever("GET", url)
            self.assertEqual(res.status, 200, res)
            page = res.json()
            items += page["data"]
            pages += 1
            if not page["hasNext"]:
                self.assertNotIn("next", page)
                return items, pages
            offset = page["next"]


class Authentication(LeverFakeBase):
    def test_basic_api_key_with_colon_is_accepted(self):
        self.assertEqual(self.lever("GET", "/v1/stages").status, 200)

    def test_other_credentials_get_401_with_code_and_message(self):
        for auth in (None, "Basic " + base64.b64encode(KEY.encode()).decode(),
                     "Basic " + base64.b64encode(b"wrong:").decode(), "Bearer not-a-token",
                     "Token " + KEY):
            with self.subTest(auth=auth):
                self.assert_error(self.lever("GET", "/v1/users", auth=auth), 401,
                                  "UnauthorizedError")
        self.assertEqual(self.sandbox.state()["counters"]["unauthorized"], 5)

    def test_unknown_route_is_404_resource_not_found(self):
        self.assert_error(self.lever("GET", "/v1/nothing"), 404, "ResourceNotFound")


class UsersAndStages(LeverFakeBase):
    def test_users_lists_active_users_shaped_like_the_recording(self):
        res = self.lever("GET", "/v1/users")
        page = res.json()
        self.assertEqual([u["id"] for u in page["data"]], [RECRUITER, ADMIN])
        self.assertFalse(page["hasNext"])
        recorded = reference_json("amp-labs-lever-test-data", "users.json")
        self.assertEqual(set(page["data"][0]), set(recorded["data"][0]))

    def test_users_by_email_and_deactivated(self):
        page = self.lever("GET", "/v1/users?email=admin%40acme.example").json()
        self.assertEqual([u["id"] for u in page["data"]], [ADMIN])
        self.assertEqual(self.lever("GET", "/v1/users?email=x%40y.z").json()["data"], [])
        every = self.lever("GET", "/v1/users?includeDeactivated=true").json()["data"]
        self.assertIn(DEACTIVATED, [u["id"] for u in every])
        self.assertEqual(self.lever("GET", "/v1/users/" + ADMIN).json()["data"]["email"],
                         "admin@acme.example")
        self.assert_error(self.lever("GET", "/v1/users/nobody"), 404, "ResourceNotFound")

    def test_stages_have_the_fixed_built_in_ids(self):
        stages = {s["id"]: s["text"] for s in self.lever("GET", "/v1/stages").json()["data"]}
        self.assertEqual(stages["lead-new"], "New lead")
        self.assertIn("applicant-new", stages)


class Postings(LeverFakeBase):
    def test_pagination_walks_every_posting_exactly_once(self):
        both = "/v1/postings?distributionChannel=public&distributionChannel=internal"
        items, pages = self.walk(both, 7)
        ids = [p["id"] for p in items]
        self.assertEqual(len(ids), 130)
        self.assertEqual(len(set(ids)), 130)
        self.assertEqual(pages, 19)
        self.assertIn(PUBLISHED, ids)
        self.assertIn(CLOSED, ids)
        self.assertGreaterEqual(len({p["state"] for p in items}), 5)

    def test_default_page_is_100_and_token_looks_like_lever(self):
        page = self.lever("GET", "/v1/postings").json()
        self.assertEqual(len(page["data"]), 100)
        self.assertTrue(page["hasNext"])
        recorded = reference_json("amp-labs-lever-test-data", "opportunities.json")
        self.assertTrue(recorded["next"].startswith("%5B"))
        self.assertTrue(page["next"].startswith("%5B"), page["next"])

    def test_published_lists_only_the_public_job_site_unless_a_channel_is_named(self):
        public, _ = self.walk("/v1/postings?state=published", 100)
        self.assertTrue(public)
        for p in public:
            self.assertEqual(p["state"], "published")
            self.assertIn("public", p["distributionChannels"])
        every, _ = self.walk("/v1/postings?state=published&distributionChannel=public"
                             "&distributionChannel=internal", 100)
        self.assertGreater(len(every), len(public))
        internal, _ = self.walk("/v1/postings?state=published&distributionChannel=internal", 100)
        self.assertTrue(all("internal" in p["distributionChannels"] for p in internal))

    def test_state_filter(self):
        closed, _ = self.walk("/v1/postings?state=closed", 100)
        self.assertIn(CLOSED, [p["id"] for p in closed])
        self.assertEqual({p["state"] for p in closed}, {"closed"})
        drafts, _ = self.walk("/v1/postings?state=draft", 100)
        self.assertTrue(drafts and all(p["distributionChannels"] is None for p in drafts))
        self.assert_error(self.lever("GET", "/v1/postings?state=open"), 400, "BadRequestError")

    def test_bad_limit_and_offset_are_400(self):
        for query in ("limit=0", "limit=101", "limit=ten", "offset=abc",
                      "offset=%5B1%2C%22x%22%5D"):
            with self.subTest(query=query):
                self.assert_error(self.lever("GET", "/v1/postings?" + query), 400)

    def test_offset_must_be_passed_back_encoded_not_raw(self):
        token = self.lever("GET", "/v1/postings?limit=5").json()["next"]
        raw = self.lever("GET", "/v1/postings?limit=5&offset=" + token)
        self.assert_error(raw, 400, "BadRequestError")
        encoded = self.lever("GET", "/v1/postings?limit=5&offset="
                             + urllib.parse.quote(token, safe=""))
        self.assertEqual(encoded.status, 200)

    def test_posting_fields_are_realistic_and_named_like_the_openapi_schema(self):
        posting = self.lever("GET", "/v1/postings/" + PUBLISHED).json()["data"]
        schema = reference_json("opensdks-openapi", "lever.oas.json")
        props = schema["components"]["schemas"]["posting"]["properties"]
        self.assertLessEqual(set(posting), set(props))
        self.assertLessEqual(set(posting["categories"]), set(props["categories"]["properties"]))
        for key in ("id", "text", "state", "categories", "content", "createdAt", "updatedAt",
                    "hiringManager", "owner", "urls", "workplaceType", "country",
                    "distributionChannels", "salaryRange"):
            self.assertIn(key, posting)
        self.assertEqual(posting["state"], "published")
        self.assertEqual(set(posting["salaryRange"]), {"min", "max", "currency", "interval"})
        self.assertIn("apply", posting["urls"])
        self.assertGreater(posting["createdAt"], 10 ** 12, "timestamps are milliseconds")

    def test_unknown_posting_is_404(self):
        self.assert_error(self.lever("GET", "/v1/postings/nope"), 404, "ResourceNotFound")


class CreateOpportunity(LeverFakeBase):
    def test_json_create_is_201_and_shaped_like_the_recording(self):
        res = self.create(candidate())
        self.assertEqual(res.status, 201, res)
        body = res.json()
        self.assertEqual(set(body), {"data", "deduped"})
        self.assertIs(body["deduped"], False)
        opp = body["data"]
        recorded = reference_json("amp-labs-lever-test-data", "opportunities.json")
        self.assertEqual(set(opp), set(recorded["data"][0]))
        self.assertEqual((opp["stage"], opp["origin"], opp["owner"]),
                         ("lead-new", "sourced", RECRUITER))
        self.assertEqual(opp["stageChanges"][0]["toStageId"], "lead-new")
        self.assertEqual(opp["tags"], ["Purpose Jobs"])
        self.assertEqual(opp["emails"], ["maya.okonkwo@example.com"])
        self.assertEqual(opp["phones"], [{"type": "mobile", "value": "555-0142"}])
        self.assertEqual(opp["applications"], [])
        [stored] = self.opportunities()
        self.assertEqual(stored["id"], opp["id"])
        self.assertEqual(stored["body"], candidate())
        self.assertIs(stored["multipart"], False)
        self.assertEqual(stored["perform_as"], RECRUITER)
        got = self.lever("GET", "/v1/opportunities/" + opp["id"]).json()["data"]
        self.assertEqual(got["id"], opp["id"])

    def test_origin_defaults_to_sourced_and_stage_can_be_a_known_id(self):
        opp = self.create({"name": "A B", "stage": "lead-reached-out"}).json()["data"]
        self.assertEqual((opp["origin"], opp["stage"]), ("sourced", "lead-reached-out"))

    def test_a_posting_adds_an_application_and_its_tags(self):
        opp = self.create(candidate(postings=[PUBLISHED])).json()["data"]
        self.assertEqual(len(opp["applications"]), 1)
        posting = self.lever("GET", "/v1/postings/" + PUBLISHED).json()["data"]
        self.assertEqual(opp["tags"][0], "Purpose Jobs")
        for tag in (posting["text"], posting["categories"]["team"],
                    posting["categories"]["location"]):
            self.assertIn(tag, opp["tags"])

    def test_perform_as_is_required_and_must_be_an_active_user(self):
        self.assert_error(self.create(candidate(), path="/v1/opportunities"), 400,
                          "BadRequestError", "Missing perform_as parameter")
        for user in ("nobody", DEACTIVATED):
            with self.subTest(user=user):
                self.assert_error(self.create(candidate(),
                                              path="/v1/opportunities?perform_as=" + user), 400)
        self.assertEqual(self.opportunities(), [])

    def test_perform_as_posting_owner(self):
        path = CREATE + "&perform_as_posting_owner=true"
        self.assert_error(self.create(candidate(), path=path), 400)
        opp = self.create(candidate(postings=[PUBLISHED]), path=path).json()["data"]
        posting = self.lever("GET", "/v1/postings/" + PUBLISHED).json()["data"]
        self.assertEqual(opp["owner"], posting["owner"])

    def test_postings_take_at_most_one_existing_id(self):
        self.assert_error(self.create(candidate(postings=[PUBLISHED, CLOSED])), 400,
                          text="multiple posting")
        self.assert_error(self.create(candidate(postings=["nope"])), 400, text="nope")
        self.assertEqual(self.opportunities(), [])

    def test_types_and_unknown_fields_are_refused_by_name(self):
        cases = [({"nmae": "x"}, "nmae"), ({"name": 5}, "name"), ({"emails": "a@b.c"}, "emails"),
                 ({"emails": [5]}, "emails"), ({"phones": ["555"]}, "phones"),
                 ({"phones": [{"number": "555"}]}, "phones"), ({"links": "x"}, "links"),
                 ({"tags": "Purpose Jobs"}, "tags"), ({"sources": [1]}, "sources"),
                 ({"origin": "website"}, "origin"), ({"stage": "new"}, "stage"),
                 ({"createdAt": "2024-01-01"}, "createdAt"), ({"resumeFile": "x"}, "resumeFile"),
                 ({"archived": {"archivedAt": 1}}, "reason"), ({"owner": "nobody"}, "owner"),
                 ({"createdAt": 99999999999999}, "future"), ({"contact": "nope"}, "nope"),
                 ({"location": None}, "location")]
        for body, text in cases:
            with self.subTest(body=body):
                self.assert_error(self.create(body), 400, "BadRequestError", text)
        self.assertEqual(self.opportunities(), [])

    def test_only_json_or_multipart(self):
        for ctype in ("text/plain", "application/x-www-form-urlencoded"):
            with self.subTest(ctype=ctype):
                self.assert_error(self.create(json.dumps(candidate()), content_type=ctype), 400)
        self.assert_error(self.create("[1]"), 400)
        self.assert_error(self.create("{bad"), 400)

    def test_dedupe_by_email_reuses_the_contact_and_creates_a_new_opportunity(self):
        first = self.create(candidate()).json()
        again = candidate(name="Someone Else", emails=["MAYA.OKONKWO@example.com",
                                                        "m2@example.com"])
        second = self.create(again).json()
        self.assertIs(second["deduped"], True)
        self.assertEqual(second["data"]["contact"], first["data"]["contact"])
        self.assertNotEqual(second["data"]["id"], first["data"]["id"])
        self.assertEqual(second["data"]["name"], "Maya Okonkwo", "existing contact data wins")
        self.assertIn("m2@example.com", second["data"]["emails"])
        self.assertEqual(len(self.sandbox.state()["lever"]["contacts"]), 1)
        other = self.create(candidate(emails=["new@example.com"])).json()
        self.assertIs(other["deduped"], False)

    def test_multipart_with_resume_file(self):
        pdf = b"%PDF-1.4 sandbox resume"
        parts = [("name", "Maya Okonkwo"), ("emails[]", "maya@example.com"),
                 ("emails[]", "m@example.com"), ("phones[]", "555-0142"),
                 ("links[]", "https://linkedin.com/in/maya"), ("tags[]", "Purpose Jobs"),
                 ("sources[]", "Purpose Jobs"), ("origin", "sourced"),
                 ("postings[]", PUBLISHED), ("resumeFile", ("maya.pdf", pdf, "application/pdf"))]
        res = self.create_form(parts, path=CREATE + "&parse=true")
        self.assertEqual(res.status, 201, res)
        opp = res.json()["data"]
        self.assertEqual(opp["emails"], ["maya@example.com", "m@example.com"])
        self.assertEqual(len(opp["applications"]), 1)
        [stored] = self.opportunities()
        self.assertIs(stored["multipart"], True)
        self.assertIs(stored["parse"], True)
        self.assertEqual(stored["resume"]["filename"], "maya.pdf")
        self.assertEqual(stored["resume"]["size"], len(pdf))
        self.assertEqual(stored["resume"]["content_type"], "application/pdf")
        self.assertEqual(stored["body"]["emails"], ["maya@example.com", "m@example.com"])
        self.assertEqual(stored["body"]["phones"], ["555-0142"])

    def test_multipart_field_rules(self):
        pdf = ("cv.pdf", b"%PDF", "application/pdf")
        cases = [([("resumeFile", "not a file")], "file part"),
                 ([("emails", "maya@example.com")], "emails[]"),
                 ([("nickname", "M")], "nickname"),
                 ([("resumeFile", pdf), ("resumeFile", pdf)], "one resume"),
                 ([("name", ("name.txt", b"Maya", "text/plain"))], "text field"),
                 ([("name", "A"), ("name", "B")], "more than once"),
                 ([("origin", "website")], "origin"),
                 ([("postings[]", PUBLISHED), ("postings[]", CLOSED)], "multiple")]
        for parts, text in cases:
            with self.subTest(parts=[p[0] for p in parts]):
                self.assert_error(self.create_form(parts), 400, "BadRequestError", text)
        self.assertEqual(self.opportunities(), [])


class ListOpportunities(LeverFakeBase):
    def test_filters_by_email_tag_and_posting(self):
        a = self.create(candidate()).json()["data"]
        b = self.create(candidate(emails=["other@example.com"], tags=["Other"],
                                  postings=[PUBLISHED])).json()["data"]

        def ids(query):
            page = self.lever("GET", "/v1/opportunities" + query).json()
            return [o["id"] for o in page["data"]]

        self.assertEqual(ids(""), [a["id"], b["id"]])
        self.assertEqual(ids("?email=maya.okonkwo%40example.com"), [a["id"]])
        self.assertEqual(ids("?email=MAYA.OKONKWO%40example.com&tag=Purpose%20Jobs"), [a["id"]])
        self.assertEqual(ids("?tag=purpose%20jobs"), [], "tags are case-sensitive")
        self.assertEqual(ids("?tag=Other&tag=Purpose%20Jobs"), [a["id"], b["id"]])
        self.assertEqual(ids("?posting_id=" + PUBLISHED), [b["id"]])
        expanded = self.lever("GET", "/v1/opportunities?expand=applications&posting_id="
                              + PUBLISHED).json()["data"][0]
        self.assertEqual(expanded["applications"][0]["posting"], PUBLISHED)
        self.assert_error(self.lever("GET", "/v1/opportunities/nope"), 404, "ResourceNotFound")

    def test_pagination(self):
        for i in range(5):
            self.create(candidate(emails=["p%d@example.com" % i]))
        items, pages = self.walk("/v1/opportunities", 2)
        self.assertEqual(len({o["id"] for o in items}), 5)
        self.assertEqual(pages, 3)


class OAuth(LeverFakeBase):
    def authorize(self, **over):
        params = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
                  "state": "st4te", "audience": "https://api.lever.co/v1/", "scope": SCOPES}
        params.update(over)
        params = {k: v for k, v in params.items() if v is not None}
        return self.sandbox.request("GET", "/authorize?" + urllib.parse.urlencode(params))

    def redirect_params(self, res):
        self.assertEqual(res.status, 302, res)
        location = res.headers["location"]
        self.assertTrue(location.startswith(REDIRECT + "?"), location)
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))

    def token(self, params, content_type="application/x-www-form-urlencoded"):
        body = urllib.parse.urlencode(params)
        if content_type == "application/json":
            body = json.dumps(params)
        return self.sandbox.request("POST", "/oauth/token", body=body,
                                    headers={"Content-Type": content_type})

    def code_params(self, code, **over):
        p = {"grant_type": "authorization_code", "client_id": CLIENT_ID,
             "client_secret": CLIENT_SECRET, "code": code, "redirect_uri": REDIRECT}
        p.update(over)
        return p

    def grant(self, scope=SCOPES):
        code = self.redirect_params(self.authorize(scope=scope))["code"]
        res = self.token(self.code_params(code))
        self.assertEqual(res.status, 200, res)
        return res.json()

    def refresh(self, refresh_token):
        return self.token({"grant_type": "refresh_token", "client_id": CLIENT_ID,
                           "client_secret": CLIENT_SECRET, "refresh_token": refresh_token})

    def api(self, access_token, path="/v1/users"):
        return self.lever("GET", path, auth="Bearer " + access_token)

    def test_code_flow_gives_bearer_tokens_that_work_on_the_api(self):
        params = self.redirect_params(self.authorize())
        self.assertEqual(params["state"], "st4te")
        res = self.token(self.code_params(params["code"]))
        self.assertEqual(res.status, 200, res)
        tokens = res.json()
        self.assertEqual(tokens["token_type"], "Bearer")
        self.assertEqual(tokens["expires_in"], 3600)
        self.assertEqual(tokens["scope"], SCOPES)
        self.assertTrue(tokens["refresh_token"])
        self.assertEqual(self.api(tokens["access_token"]).status, 200)
        created = self.lever("POST", CREATE, json.dumps(candidate()),
                             auth="Bearer " + tokens["access_token"])
        self.assertEqual(created.status, 201, created)
        self.assertEqual(self.opportunities()[0]["credential"], "oauth")

    def test_the_sandbox_audience_is_accepted_too(self):
        res = self.authorize(audience=self.sandbox.url + "/v1/")
        self.assertIn("code", self.redirect_params(res))

    def test_authorize_refuses_bad_client_or_redirect_without_redirecting(self):
        for over in ({"client_id": "other"}, {"redirect_uri": "https://evil.example/callback"},
                     {"redirect_uri": "http://127.0.0.1:53682/cb"},
                     {"redirect_uri": "http://127.0.0.1:53682/callback?x=1"},
                     {"redirect_uri": None}, {"state": None}, {"state": ""}):
            with self.subTest(over=over):
                res = self.authorize(**over)
                self.assertEqual(res.status, 400, res)
                self.assertNotIn("location", res.headers)
                self.assertIn("error", res.json())

    def test_authorize_redirects_protocol_errors_with_state(self):
        for over, error in (({"response_type": "token"}, "unsupported_response_type"),
                            ({"audience": "https://api.lever.co/v1"}, "invalid_request"),
                            ({"audience": None}, "invalid_request"),
                            ({"scope": None}, "invalid_scope"),
                            ({"scope": "offline_access opportunities:write"}, "invalid_scope")):
            with self.subTest(over=over):
                params = self.redirect_params(self.authorize(**over))
                self.assertEqual((params["error"], params["state"]), (error, "st4te"))
                self.assertNotIn("code", params)

    def test_localhost_redirect_is_allowed(self):
        res = self.authorize(redirect_uri="http://localhost:8123/callback")
        self.assertTrue(res.headers["location"].startswith("http://localhost:8123/callback?code="))

    def test_denied_consent(self):
        self.sandbox.oauth_deny(True)
        params = self.redirect_params(self.authorize())
        self.assertEqual(params, {"error": "access_denied",
                                  "error_description": "user_did_not_authorize_the_request",
                                  "state": "st4te"})
        self.sandbox.oauth_deny(False)
        self.assertIn("code", self.redirect_params(self.authorize()))

    def test_token_endpoint_rules(self):
        code = self.redirect_params(self.authorize())["code"]
        res = self.token(self.code_params(code), content_type="application/json")
        self.assertEqual((res.status, res.json()["error"]), (400, "invalid_request"))
        res = self.token(self.code_params(code, client_secret="wrong"))
        self.assertEqual((res.status, res.json()["error"]), (401, "invalid_client"))
        res = self.token(self.code_params(code, redirect_uri="http://127.0.0.1:1/callback"))
        self.assertEqual((res.status, res.json()["error"]), (403, "invalid_grant"))
        res = self.token(self.code_params(code, grant_type="password"))
        self.assertEqual((res.status, res.json()["error"]), (400, "unsupported_grant_type"))
        res = self.sandbox.request("POST", "/oauth/token?" + urllib.parse.urlencode(
            self.code_params(code)), body="", headers={
                "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(res.status, 400, "credentials in the URL are refused")
        self.assertEqual(self.token(self.code_params(code)).status, 200, "the code still works")

    def test_a_code_is_single_use_and_reuse_revokes_its_tokens(self):
        code = self.redirect_params(self.authorize())["code"]
        tokens = self.token(self.code_params(code)).json()
        res = self.token(self.code_params(code))
        self.assertEqual((res.status, res.json()["error"]), (403, "invalid_grant"))
        self.assert_error(self.api(tokens["access_token"]), 401, "UnauthorizedError")

    def test_no_offline_access_no_refresh_token(self):
        tokens = self.grant(scope="opportunities:write:admin")
        self.assertNotIn("refresh_token", tokens)

    def test_scopes_are_enforced_per_resource(self):
        tokens = self.grant(scope="opportunities:write:admin")
        self.assertEqual(self.api(tokens["access_token"], "/v1/opportunities").status, 200,
                         "write includes read")
        self.assert_error(self.api(tokens["access_token"], "/v1/postings"), 403, "Forbidden")
        read_only = self.grant(scope="opportunities:read:admin")
        res = self.lever("POST", CREATE, json.dumps(candidate()),
                         auth="Bearer " + read_only["access_token"])
        self.assert_error(res, 403, "Forbidden")

    def test_refresh_rotates_and_reuse_revokes_the_whole_grant(self):
        first = self.grant()
        second = self.refresh(first["refresh_token"]).json()
        self.assertNotEqual(second["refresh_token"], first["refresh_token"])
        self.assertNotEqual(second["access_token"], first["access_token"])
        self.assertEqual(self.api(second["access_token"]).status, 200)
        third = self.refresh(second["refresh_token"]).json()
        self.assertEqual(self.api(third["access_token"]).status, 200)
        reused = self.refresh(first["refresh_token"])
        self.assertEqual((reused.status, reused.json()["error"]), (403, "invalid_grant"))
        self.assert_error(self.api(third["access_token"]), 401, "UnauthorizedError")
        res = self.refresh(third["refresh_token"])
        self.assertEqual((res.status, res.json()["error"]), (403, "invalid_grant"))
        oauth = self.sandbox.state()["oauth"]
        self.assertEqual((oauth["refreshes"], oauth["reuse_detected"], oauth["grants_revoked"]),
                         (2, 1, 1))

    def test_expired_access_token_is_401_and_refresh_recovers(self):
        tokens = self.grant()
        self.sandbox.expire_tokens()
        self.assert_error(self.api(tokens["access_token"]), 401, "UnauthorizedError", "expired")
        fresh = self.refresh(tokens["refresh_token"]).json()
        self.assertEqual(self.api(fresh["access_token"]).status, 200)

    def test_other_grants_are_unaffected_by_a_revocation(self):
        a, b = self.grant(), self.grant()
        self.refresh(a["refresh_token"])
        self.refresh(a["refresh_token"])  # reuse: revokes grant a only
        self.assertEqual(self.api(b["access_token"]).status, 200)


class Faults(LeverFakeBase):
    def test_injected_429_has_a_lever_body_and_creates_nothing(self):
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities", "action": "status",
                              "status": 429}])
        self.assert_error(self.create(candidate()), 429, "TooManyRequests")
        self.assertEqual(self.opportunities(), [])
        self.assertEqual(self.create(candidate()).status, 201)

    def test_drop_after_creates_the_opportunity(self):
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "drop_after"}])
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.create(candidate())
        self.assertEqual(len(self.opportunities()), 1)


class RateLimit(LeverFakeBase):
    sandbox_args = ()  # the documented default: 10 requests/s, bursts of 20, per credential

    def fire(self, count, auth):
        barrier = threading.Barrier(count)
        results = []
        lock = threading.Lock()

        def one():
            barrier.wait()
            res = self.lever("GET", "/v1/stages", auth=auth)
            with lock:
                results.append(res)

        threads = [threading.Thread(target=one) for _ in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    def test_thirty_at_once_get_some_429s_without_rate_limit_headers(self):
        results = self.fire(30, BASIC)
        limited = [r for r in results if r.status == 429]
        ok = [r for r in results if r.status == 200]
        self.assertEqual(len(limited) + len(ok), 30)
        self.assertGreaterEqual(len(ok), 20, "the burst of 20 is allowed")
        self.assertGreaterEqual(len(limited), 1)
        for res in limited:
            self.assert_error(res, 429, "TooManyRequests")
            self.assertFalse([h for h in res.headers if "ratelimit" in h or h == "retry-after"])
        self.assertEqual(self.sandbox.state()["counters"]["rate_limited"], len(limited))

    def test_buckets_are_per_credential(self):
        tokens = self.oauth_grant()
        self.fire(30, BASIC)
        self.assertEqual(self.lever("GET", "/v1/stages",
                                    auth="Bearer " + tokens["access_token"]).status, 200)

    def oauth_grant(self):
        params = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
                  "state": "s", "audience": "https://api.lever.co/v1/", "scope": SCOPES}
        res = self.sandbox.request("GET", "/authorize?" + urllib.parse.urlencode(params))
        location = res.headers["location"]
        code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))["code"]
        body = urllib.parse.urlencode({"grant_type": "authorization_code", "client_id": CLIENT_ID,
                                       "client_secret": CLIENT_SECRET, "code": code,
                                       "redirect_uri": REDIRECT})
        res = self.sandbox.request("POST", "/oauth/token", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        return res.json()


class Flags(LeverFakeBase):
    sandbox_args = ("--postings", "5", "--token-ttl", "120", "--lever-rate", "0")

    def test_posting_count_and_token_ttl(self):
        items, pages = self.walk("/v1/postings?distributionChannel=public"
                                 "&distributionChannel=internal", 100)
        self.assertEqual((len(items), pages), (5, 1))
        self.assertEqual(OAuth.grant(self)["expires_in"], 120)

    authorize = OAuth.authorize
    redirect_params = OAuth.redirect_params
    token = OAuth.token
    code_params = OAuth.code_params


class Https(unittest.TestCase):
    def test_lever_over_https_with_the_harness_ca(self):
        with Sandbox(tls=make_tls_ca()) as sandbox:
            res = sandbox.request("GET", "/v1/postings/" + PUBLISHED,
                                  headers={"Authorization": BASIC})
            self.assertEqual(res.status, 200, res)
            self.assertEqual(res.json()["data"]["id"], PUBLISHED)


if __name__ == "__main__":
    unittest.main()
