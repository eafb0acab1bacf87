// Generated Lever postings.
#include "lever_postings.hpp"

#include "fake_data.hpp"
#include "fake_http.hpp"
#include "fake_json.hpp"

#include <algorithm>
#include <array>

namespace pjats::fakes {

namespace {

struct Role {
    const char* title;
    const char* team;
    const char* department;
};

constexpr std::array<Role, 12> k_roles = {{
    {"Senior Backend Engineer", "Platform", "Engineering"},
    {"Frontend Engineer", "Web", "Engineering"},
    {"Product Designer", "Design", "Product"},
    {"Data Scientist", "Analytics", "Engineering"},
    {"Account Executive", "Sales", "Go-to-Market"},
    {"Customer Success Manager", "Customer Success", "Go-to-Market"},
    {"Engineering Manager", "Platform", "Engineering"},
    {"Climate Policy Analyst", "Research & Policy", "Impact"},
    {"Technical Recruiter", "Talent", "People"},
    {"DevOps Engineer", "Infrastructure", "Engineering"},
    {"Product Manager — Growth", "Growth", "Product"},
    {"Sustainability Lead (Café Partnerships)", "Partnerships", "Impact"},
}};

struct Place {
    const char* name;
    const char* country;
    const char* workplace;
    const char* currency;
};

constexpr std::array<Place, 7> k_places = {{
    {"San Francisco, CA", "US", "hybrid", "USD"},
    {"New York, NY", "US", "onsite", "USD"},
    {"Remote - US", "US", "remote", "USD"},
    {"London, UK", "GB", "hybrid", "GBP"},
    {"Berlin, Germany", "DE", "onsite", "EUR"},
    {"Toronto, Canada", "CA", "remote", "CAD"},
    {"Austin, TX", "US", "unspecified", "USD"},
}};

constexpr std::array<const char*, 6> k_commitments = {
    "Full-time", "Full-time", "Full-time", "Part-time", "Contract", "Internship"};

// State and distribution channels of generated posting `i` (i >= 2).
void assign_state(Posting& p, int i) {
    using Channels = std::vector<std::string>;
    if (i % 40 == 17) {
        p.state = "pending";
    } else if (i % 65 == 33) {
        p.state = "rejected";
    } else {
        switch (i % 10) {
        case 5:
            p.state = "published";
            p.distribution_channels = Channels{"internal"};
            return;
        case 6:
            p.state = "internal";
            p.distribution_channels = Channels{"internal"};
            return;
        case 7:
            p.state = "closed";
            p.distribution_channels = Channels{"public", "internal"};
            return;
        case 8:
            p.state = "draft";
            return;
        case 9:
            p.state = "published";
            p.distribution_channels = Channels{"public"};
            return;
        default:
            p.state = "published";
            p.distribution_channels = Channels{"public", "internal"};
            return;
        }
    }
}

Posting make_posting(int i) {
    const Role& role = k_roles[static_cast<std::size_t>(i) % k_roles.size()];
    const Place& place = k_places[static_cast<std::size_t>(i) % k_places.size()];
    Posting p;
    p.id = stable_uuid(static_cast<std::uint64_t>(i) + 1000);
    p.text = role.title;
    p.team = role.team;
    p.department = role.department;
    p.location = place.name;
    p.country = place.country;
    p.workplace_type = place.workplace;
    p.commitment = k_commitments[static_cast<std::size_t>(i) % k_commitments.size()];
    p.created_at = 1700000000000 + static_cast<std::int64_t>(i) * 86400000;
    p.updated_at = p.created_at + static_cast<std::int64_t>(i % 5) * 3600000;
    p.user = std::string(k_lever_recruiter_id);
    p.owner = std::string(i % 2 == 0 ? k_lever_recruiter_id : k_lever_admin_id);
    if (i % 7 != 3) {
        p.hiring_manager = std::string(k_lever_admin_id);
    }
    if (i % 3 == 0) {
        p.tags = {role.department, "Hiring 2025"};
    }
    p.description = std::string("Acme builds tools that cut industrial emissions. We are hiring a ")
                    + role.title + " to join the " + role.team + " team in " + place.name + ".";
    p.lists = {
        {"What you'll do",
         "<li>Own meaningful work from day one</li><li>Partner with the " + std::string(role.team)
             + " team</li>"},
        {"What we're looking for", "<li>Care for the mission</li><li>Clear writing</li>"},
    };
    p.closing = "Acme is an equal opportunity employer.";
    if (i % 10 == 9) {
        p.salary_null = true;
    } else if (i % 10 != 4) {
        SalaryRange s;
        s.currency = place.currency;
        if (p.commitment == "Internship") {
            s.min = 25;
            s.max = 40;
            s.interval = "per-hour-wage";
        } else {
            s.min = 80000 + static_cast<std::int64_t>(i % 9) * 10000;
            s.max = s.min + 40000;
            s.interval = "per-year-salary";
        }
        p.salary = s;
    }
    assign_state(p, i);
    return p;
}

} // namespace

std::vector<Posting> generate_postings(int count) {
    std::vector<Posting> postings;
    for (int i = 0; i < std::max(count, 2); ++i) {
        postings.push_back(make_posting(i));
    }
    postings[0].id = std::string(k_lever_published_posting_id);
    postings[0].state = "published";
    postings[0].distribution_channels = std::vector<std::string>{"public", "internal"};
    postings[1].id = std::string(k_lever_closed_posting_id);
    postings[1].state = "closed";
    postings[1].distribution_channels = std::vector<std::string>{"public", "internal"};
    return postings;
}

bool on_channel(const Posting& p, const std::string& channel) {
    return p.distribution_channels
           && std::find(p.distribution_channels->begin(), p.distribution_channels->end(), channel)
                  != p.distribution_channels->end();
}

std::string posting_json(const Posting& p) {
    const std::string base = "https://jobs.lever.co/acme";
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_string(w, "id", p.id);
        write_string(w, "text", p.text);
        write_int(w, "createdAt", p.created_at);
        write_int(w, "updatedAt", p.updated_at);
        write_string(w, "user", p.user);
        write_string(w, "owner", p.owner);
        write_optional_string(w, "hiringManager", p.hiring_manager);
        write_string(w, "confidentiality", "non-confidential");
        w.Key("categories");
        w.StartObject();
        write_string(w, "team", p.team);
        write_string(w, "department", p.department);
        write_string(w, "location", p.location);
        write_strings(w, "allLocations", {p.location});
        write_string(w, "commitment", p.commitment);
        w.EndObject();
        w.Key("content");
        w.StartObject();
        write_string(w, "description", p.description);
        write_string(w, "descriptionHtml", "<div>" + p.description + "</div>");
        w.Key("lists");
        w.StartArray();
        for (const auto& [text, content] : p.lists) {
            w.StartObject();
            write_string(w, "text", text);
            write_string(w, "content", content);
            w.EndObject();
        }
        w.EndArray();
        write_string(w, "closing", p.closing);
        write_string(w, "closingHtml", "<div>" + p.closing + "</div>");
        w.EndObject();
        write_string(w, "country", p.country);
        write_strings(w, "tags", p.tags);
        write_string(w, "state", p.state);
        if (p.distribution_channels) {
            write_strings(w, "distributionChannels", *p.distribution_channels);
        } else {
            write_null(w, "distributionChannels");
        }
        write_null(w, "reqCode");
        write_strings(w, "requisitionCodes", {});
        if (p.salary) {
            const std::string range = std::to_string(p.salary->min) + " - "
                                      + std::to_string(p.salary->max) + " " + p.salary->currency;
            write_string(w, "salaryDescription", "Salary range: " + range);
            write_string(w, "salaryDescriptionHtml", "<div>Salary range: " + range + "</div>");
            w.Key("salaryRange");
            w.StartObject();
            write_int(w, "max", p.salary->max);
            write_int(w, "min", p.salary->min);
            write_string(w, "currency", p.salary->currency);
            write_string(w, "interval", p.salary->interval);
            w.EndObject();
        } else if (p.salary_null) {
            write_null(w, "salaryRange");
        }
        w.Key("urls");
        w.StartObject();
        write_string(w, "list", base);
        write_string(w, "show", base + "/" + p.id);
        write_string(w, "apply", base + "/" + p.id + "/apply");
        w.EndObject();
        write_string(w, "workplaceType", p.workplace_type);
        w.EndObject();
    });
}

} // namespace pjats::fakes
