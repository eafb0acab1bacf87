// Lever response decoders against recorded bodies (amp-labs), documents synthesised from
// the community OpenAPI schema (opensdks), our posting fixtures, and broken input.

#include "test_lever_support.hpp"

#include <pjats/lever/model.hpp>

#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

namespace {

using namespace pjats;
using namespace pjats::lever_test;

// Builds a JSON instance of an OpenAPI schema: every property present, strings "x" (or
// the first enum value), numbers 1, booleans true, arrays with one item; $ref followed.
void synthesise(const rapidjson::Value& schema,
                const rapidjson::Document& root,
                rapidjson::Value& out,
                rapidjson::Document::AllocatorType& allocator,
                int depth = 0) {
    REQUIRE(depth < 20);
    const auto ref = schema.FindMember("$ref");
    if (ref != schema.MemberEnd()) {
        const std::string pointer = std::string(ref->value.GetString()).substr(1); // drop '#'
        const rapidjson::Value* target = rapidjson::Pointer(pointer.c_str()).Get(root);
        REQUIRE(target != nullptr);
        synthesise(*target, root, out, allocator, depth + 1);
        return;
    }
    std::string type = "object";
    const auto type_member = schema.FindMember("type");
    if (type_member != schema.MemberEnd()) {
        if (type_member->value.IsString()) {
            type = type_member->value.GetString();
        } else if (type_member->value.IsArray()) {
            for (const auto& item : type_member->value.GetArray()) {
                if (std::string(item.GetString()) != "null") {
                    type = item.GetString();
                    break;
                }
            }
        }
    }
    if (type == "object") {
        out.SetObject();
        const auto properties = schema.FindMember("properties");
        if (properties == schema.MemberEnd()) {
            return;
        }
        for (const auto& property : properties->value.GetObject()) {
            rapidjson::Value value;
            synthesise(property.value, root, value, allocator, depth + 1);
            out.AddMember(rapidjson::Value(property.name, allocator), value, allocator);
        }
    } else if (type == "array") {
        out.SetArray();
        rapidjson::Value item;
        synthesise(schema["items"], root, item, allocator, depth + 1);
        out.PushBack(item, allocator);
    } else if (type == "string") {
        const auto values = schema.FindMember("enum");
        if (values != schema.MemberEnd() && values->value.Size() > 0) {
            out.SetString(values->value[0].GetString(), allocator);
        } else {
            out.SetString("x", allocator);
        }
    } else if (type == "number" || type == "integer") {
        out.SetInt(1);
    } else if (type == "boolean") {
        out.SetBool(true);
    } else {
        out.SetNull();
    }
}

std::string synthesise_response(const std::string& api_path) {
    rapidjson::Document root;
    root.Parse(read_text(reference_fixture("opensdks-openapi/lever.oas.json")).c_str());
    REQUIRE_FALSE(root.HasParseError());
    const rapidjson::Value& schema = root["paths"][api_path.c_str()]["get"]["responses"]["200"]
                                         ["content"]["application/json"]["schema"];
    rapidjson::Document doc;
    synthesise(schema, root, doc, doc.GetAllocator());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);
    return buffer.GetString();
}

} // namespace

TEST_CASE("lever::decode_postings_page with our fixtures") {
    auto first = lever::decode_postings_page(read_text(lever_fixture("postings_page_1.json")));
    REQUIRE_MESSAGE(first.has_value(), first.error().message);
    REQUIRE(first->items.size() == 2);
    CHECK(first->has_next);
    CHECK(first->next == "%5B1720000000000%2C%22b3f4c0a2-1d2e-4f5a-8b6c-7d8e9f0a1b2c%22%5D");

    const lever::Posting& hybrid = first->items[0];
    CHECK(hybrid.id == "730e37db-93d3-4acf-b9de-7cfc397cef1d");
    CHECK(hybrid.text == "Senior Climate Data Engineer");
    CHECK(hybrid.state == "published");
    CHECK(hybrid.categories.team == "Data");
    CHECK(hybrid.categories.department == "Engineering");
    CHECK(hybrid.categories.location == "Berlin");
    CHECK(hybrid.categories.commitment == "Full-time");
    CHECK(hybrid.categories.level.empty()); // null
    CHECK(hybrid.categories.all_locations == std::vector<std::string>{"Berlin", "Hamburg"});
    REQUIRE(hybrid.content.lists.size() == 2);
    CHECK(hybrid.content.lists[0].text == "What you will do");
    CHECK(hybrid.content.lists[0].content == "<li>Build pipelines</li><li>Own data quality</li>");
    CHECK(hybrid.content.description_html
          == "<div>We measure emissions so others can cut them.</div>");
    CHECK(hybrid.content.closing == "Apply even if you miss a requirement.");
    CHECK(hybrid.created_at == 1718012345678);
    CHECK(hybrid.updated_at == 1719012345678);
    CHECK(hybrid.workplace_type == "hybrid");
    CHECK(hybrid.country == "DE");
    REQUIRE(hybrid.salary_range.has_value());
    CHECK(hybrid.salary_range->min == doctest::Approx(70000));
    CHECK(hybrid.salary_range->max == doctest::Approx(90000));
    CHECK(hybrid.salary_range->currency == "EUR");
    CHECK(hybrid.salary_range->interval == "per-year-salary");
    CHECK(hybrid.urls.show == "https://jobs.lever.co/example/730e37db-93d3-4acf-b9de-7cfc397cef1d");
    CHECK(hybrid.distribution_channels == std::vector<std::string>{"public", "internal"});
    CHECK(hybrid.owner == "df0b4ded-dbb0-4a2b-9b1c-2c5f3e5a8e11");
    CHECK(hybrid.hiring_manager.empty());

    const lever::Posting& remote = first->items[1];
    CHECK(remote.owner == "5f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f"); // expanded object
    CHECK(remote.distribution_channels.empty());                   // null
    CHECK(remote.updated_at == 0);                                 // null
    CHECK(remote.salary_range->min == doctest::Approx(28.5));

    auto second = lever::decode_postings_page(read_text(lever_fixture("postings_page_2.json")));
    REQUIRE_MESSAGE(second.has_value(), second.error().message);
    CHECK_FALSE(second->has_next);
    CHECK(second->next.empty());
    REQUIRE(second->items.size() == 2);
    CHECK(second->items[0].content.description_html.empty());
    CHECK(second->items[0].content.lists.empty());
    CHECK_FALSE(second->items[0].salary_range.has_value());
}

TEST_CASE("lever::decode_postings_page accepts the community OpenAPI schema's posting") {
    const std::string body = synthesise_response("/postings");
    auto page = lever::decode_postings_page(body);
    REQUIRE_MESSAGE(page.has_value(), page.error().message);
    REQUIRE(page->items.size() == 1);
    const lever::Posting& posting = page->items[0];
    CHECK(posting.id == "x");
    CHECK(posting.text == "x");
    CHECK(posting.created_at == 1);
    CHECK(posting.categories.all_locations.size() == 1);
    CHECK(posting.content.lists.size() == 1);
    CHECK(posting.state == "published");
    CHECK(posting.workplace_type == "remote");
    REQUIRE(posting.salary_range.has_value());
    CHECK(posting.salary_range->interval == "per-year-salary");
    CHECK(posting.urls.apply == "x");
    CHECK(page->has_next);
}

TEST_CASE("lever::decode_posting accepts the community OpenAPI schema's single posting") {
    auto posting = lever::decode_posting(synthesise_response("/postings/{id}"));
    REQUIRE_MESSAGE(posting.has_value(), posting.error().message);
    CHECK(posting->id == "x");
}

TEST_CASE("lever::decode_opportunities_page") {
    SUBCASE("the recorded page") {
        auto page = lever::decode_opportunities_page(
            read_text(reference_fixture("amp-labs-lever-test-data/opportunities.json")));
        REQUIRE_MESSAGE(page.has_value(), page.error().message);
        REQUIRE(page->items.size() >= 1);
        const lever::OpportunitySummary& first = page->items[0];
        CHECK(first.id == "2087af84-f146-4535-9368-2309e33e049f");
        CHECK(first.contact == "e2719ee1-21f5-4287-a60a-59bd29deac80");
        CHECK(first.stage == "lead-new");
        CHECK(first.origin == "sourced");
        CHECK(first.created_at == 1750233426190);
        CHECK(first.applications
              == std::vector<std::string>{"2b7f3433-111a-4659-a302-58a32cd2e33c"});
        CHECK_FALSE(first.archived);
        CHECK(page->has_next);
        CHECK(page->next.rfind("%5B1%2C1750233409740%2C%22", 0) == 0);
    }
    SUBCASE("the community OpenAPI schema's opportunity") {
        auto page = lever::decode_opportunities_page(synthesise_response("/opportunities"));
        REQUIRE_MESSAGE(page.has_value(), page.error().message);
        REQUIRE(page->items.size() == 1);
        CHECK(page->items[0].id == "x");
        CHECK(page->items[0].applications.size() == 1);
    }
    SUBCASE("expanded fields") {
        auto page = lever::decode_opportunities_page(
            R"({"data":[{"id":"o1","contact":{"id":"c1","name":"A"},"stage":{"id":"lead-new",)"
            R"("text":"New lead"},"applications":[{"id":"app1","posting":"p1"}],)"
            R"("archived":{"archivedAt":1,"reason":"r"}}],"hasNext":false})");
        REQUIRE_MESSAGE(page.has_value(), page.error().message);
        CHECK(page->items[0].contact == "c1");
        CHECK(page->items[0].stage == "lead-new");
        CHECK(page->items[0].applications == std::vector<std::string>{"app1"});
        CHECK(page->items[0].archived);
    }
}

TEST_CASE("lever::decode_users_page with the recorded page") {
    auto page = lever::decode_users_page(
        read_text(reference_fixture("amp-labs-lever-test-data/users.json")));
    REQUIRE_MESSAGE(page.has_value(), page.error().message);
    REQUIRE(page->items.size() == 1);
    CHECK(page->items[0].id == "e0a9f3e3-bd9b-4eb1-8d2c-0d9a572bf641");
    CHECK(page->items[0].email == "sample@gmail.com");
    CHECK(page->items[0].access_role == "super admin");
    CHECK(page->items[0].deactivated_at == 0);
    CHECK(page->has_next);
}

TEST_CASE("lever::decode_created_opportunity") {
    SUBCASE("deduped") {
        auto created = lever::decode_created_opportunity(
            R"({"data":{"id":"o1","contact":"c1","emails":null},"deduped":true})");
        REQUIRE(created.has_value());
        CHECK(created->id == "o1");
        CHECK(created->contact == "c1");
        CHECK(created->deduped);
    }
    SUBCASE("without the undocumented deduped flag") {
        auto created = lever::decode_created_opportunity(R"({"data":{"id":"o1"}})");
        REQUIRE(created.has_value());
        CHECK_FALSE(created->deduped);
    }
    SUBCASE("without an id") {
        auto created = lever::decode_created_opportunity(R"({"data":{"contact":"c"}})");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().kind == ErrorKind::decode);
        CHECK(created.error().field == "data.id");
    }
    SUBCASE("deduped of the wrong type") {
        auto created = lever::decode_created_opportunity(R"({"data":{"id":"o"},"deduped":"yes"})");
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().field == "deduped");
    }
}

TEST_CASE("lever decoders report the JSON path of a type error") {
    SUBCASE("nested string") {
        auto page = lever::decode_postings_page(
            R"({"data":[{"id":"a"},{"id":"b","categories":{"team":5}}],"hasNext":false})");
        REQUIRE_FALSE(page.has_value());
        CHECK(page.error().kind == ErrorKind::decode);
        CHECK(page.error().field == "data[1].categories.team");
        CHECK(page.error().message.find("data[1].categories.team: expected a string, got number")
              != std::string::npos);
    }
    SUBCASE("array item") {
        auto page = lever::decode_postings_page(
            R"({"data":[{"id":"a","categories":{"allLocations":["x",7]}}]})");
        REQUIRE_FALSE(page.has_value());
        CHECK(page.error().field == "data[0].categories.allLocations[1]");
    }
    SUBCASE("object expected") {
        auto posting = lever::decode_posting(R"({"data":{"id":"a","content":"text"}})");
        REQUIRE_FALSE(posting.has_value());
        CHECK(posting.error().field == "data.content");
    }
    SUBCASE("number expected") {
        auto posting = lever::decode_posting(R"({"data":{"id":"a","createdAt":"yesterday"}})");
        REQUIRE_FALSE(posting.has_value());
        CHECK(posting.error().field == "data.createdAt");
    }
    SUBCASE("list item that is not an object") {
        auto page = lever::decode_postings_page(R"({"data":[{"id":"a"},3]})");
        REQUIRE_FALSE(page.has_value());
        CHECK(page.error().field == "data[1]");
    }
    SUBCASE("missing id") {
        auto page = lever::decode_users_page(R"({"data":[{"name":"x"}]})");
        REQUIRE_FALSE(page.has_value());
        CHECK(page.error().field == "data[0].id");
    }
    SUBCASE("missing data") {
        auto page = lever::decode_users_page(R"({"hasNext":false})");
        REQUIRE_FALSE(page.has_value());
        CHECK(page.error().field == "data");
    }
    SUBCASE("not JSON") {
        auto page = lever::decode_users_page("<html>");
        REQUIRE_FALSE(page.has_value());
        CHECK(page.error().kind == ErrorKind::decode);
    }
    SUBCASE("not an object") {
        auto posting = lever::decode_posting("[1]");
        REQUIRE_FALSE(posting.has_value());
        CHECK(posting.error().kind == ErrorKind::decode);
    }
}
