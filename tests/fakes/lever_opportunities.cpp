// Lever contacts and opportunities held by the fake.
#include "lever_opportunities.hpp"

#include "fake_data.hpp"
#include "fake_http.hpp"
#include "fake_json.hpp"
#include "lever_pagination.hpp"

#include <algorithm>

namespace pjats::fakes {

namespace {

// Appends the items of `more` that `list` lacks, keeping order.
void add_unique(std::vector<std::string>& list, const std::vector<std::string>& more) {
    for (const std::string& item : more) {
        if (std::find(list.begin(), list.end(), item) == list.end()) {
            list.push_back(item);
        }
    }
}

bool has_email(const std::vector<std::string>& emails, const std::string& canonical) {
    return std::any_of(
        emails.begin(), emails.end(), [&](const std::string& e) { return lower(e) == canonical; });
}

std::int64_t stage_index(const std::string& stage) {
    for (std::size_t i = 0; i < k_lever_stages.size(); ++i) {
        if (k_lever_stages[i].id == stage) {
            return static_cast<std::int64_t>(i);
        }
    }
    return 0;
}

// True when the request has no `name` filter or one of its values satisfies `match`.
template <typename Match>
bool filter(const httplib::Request& req, const char* name, Match match) {
    const std::size_t n = req.get_param_value_count(name);
    if (n == 0) {
        return true;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (match(req.get_param_value(name, i))) {
            return true;
        }
    }
    return false;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

OpportunityStore::OpportunityStore(const std::vector<Posting>& postings)
    : m_postings(postings) {}

const Posting* OpportunityStore::posting(const std::string& id) const {
    const auto it = std::find_if(
        m_postings.begin(), m_postings.end(), [&](const Posting& p) { return p.id == id; });
    return it == m_postings.end() ? nullptr : &*it;
}

std::size_t OpportunityStore::contact_for(const OpportunityInput& in, bool& deduped) {
    std::size_t index = m_contacts.size();
    if (in.contact) {
        for (std::size_t i = 0; i < m_contacts.size(); ++i) {
            if (m_contacts[i].id == *in.contact) {
                index = i;
            }
        }
    }
    for (std::size_t i = 0; i < m_contacts.size() && index == m_contacts.size(); ++i) {
        for (const std::string& email : in.emails) {
            if (has_email(m_contacts[i].emails, lower(email))) {
                index = i;
            }
        }
    }
    deduped = index < m_contacts.size();
    if (!deduped) {
        m_contacts.push_back(Contact{random_uuid(), in.name, in.headline, in.location, {}, {}, {}});
    }
    Contact& c = m_contacts[index];
    // The existing contact's data wins; only missing fields and new details are added.
    c.name = c.name ? c.name : in.name;
    c.headline = c.headline ? c.headline : in.headline;
    c.location = c.location ? c.location : in.location;
    for (const std::string& email : in.emails) {
        if (!has_email(c.emails, lower(email))) {
            c.emails.push_back(email);
        }
    }
    for (const PhoneInput& phone : in.phones) {
        if (std::none_of(c.phones.begin(), c.phones.end(), [&](const PhoneInput& p) {
                return p.value == phone.value;
            })) {
            c.phones.push_back(phone);
        }
    }
    add_unique(c.links, in.links);
    return index;
}

std::optional<std::string>
OpportunityStore::create(const OpportunityInput& in, const CreateContext& ctx, std::string& error) {
    const Posting* post = nullptr;
    if (!in.postings.empty() && (post = posting(in.postings.front())) == nullptr) {
        error = "Posting " + in.postings.front() + " was not found";
        return std::nullopt;
    }
    if (ctx.perform_as_posting_owner && post == nullptr) {
        error = "perform_as_posting_owner=true needs exactly one posting in postings";
        return std::nullopt;
    }
    const std::int64_t now = now_ms();
    if (in.created_at && *in.created_at > now + 60000) {
        error = "createdAt is in the future: you cannot create a candidate in the future";
        return std::nullopt;
    }
    const std::int64_t created = in.created_at.value_or(now);
    if (in.archived && in.archived->archived_at && *in.archived->archived_at < created) {
        error = "archived.archivedAt must come after createdAt";
        return std::nullopt;
    }
    std::lock_guard lock(m_mutex);
    if (in.contact && std::none_of(m_contacts.begin(), m_contacts.end(), [&](const Contact& c) {
            return c.id == *in.contact;
        })) {
        error = "Contact " + *in.contact + " was not found";
        return std::nullopt;
    }
    Opportunity o;
    o.id = random_uuid();
    o.contact = m_contacts[contact_for(in, o.deduped)].id;
    o.stage = in.stage.value_or("lead-new");
    o.origin = in.origin.value_or("sourced");
    o.owner = in.owner.value_or(ctx.perform_as_posting_owner ? post->owner : ctx.perform_as);
    o.tags = {};
    add_unique(o.tags, in.tags);
    if (post != nullptr) {
        add_unique(o.tags,
                   {post->text, post->department, post->team, post->location, post->commitment});
        add_unique(o.tags, post->tags);
        o.posting = post->id;
        o.application = random_uuid();
        o.opportunity_location = post->location;
    }
    if (in.opportunity_location) {
        o.opportunity_location = in.opportunity_location;
    }
    add_unique(o.sources, in.sources);
    add_unique(o.followers, {ctx.perform_as});
    add_unique(o.followers, in.followers);
    o.archived = in.archived;
    if (o.archived && !o.archived->archived_at) {
        o.archived->archived_at = now;
    }
    o.created_at = created;
    o.updated_at = now;
    o.ctx = ctx;
    o.input = in;
    m_opportunities.push_back(o);
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        w.Key("data");
        write_raw(w, opportunity_json(o, false));
        write_bool(w, "deduped", o.deduped);
        w.EndObject();
    });
}

const OpportunityStore::Contact& OpportunityStore::contact_of(const Opportunity& o) const {
    return *std::find_if(
        m_contacts.begin(), m_contacts.end(), [&](const Contact& c) { return c.id == o.contact; });
}

std::string OpportunityStore::opportunity_json(const Opportunity& o,
                                               bool expand,
                                               bool expand_stage) const {
    const Contact& c = contact_of(o);
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_string(w, "id", o.id);
        write_optional_string(w, "name", c.name);
        write_string(w, "headline", c.headline.value_or(""));
        write_string(w, "contact", c.id);
        if (expand_stage) {
            w.Key("stage");
            w.StartObject();
            write_string(w, "id", o.stage);
            for (const LeverStage& known : k_lever_stages) {
                if (known.id == o.stage) {
                    write_string(w, "text", known.text);
                }
            }
            w.EndObject();
        } else {
            write_string(w, "stage", o.stage);
        }
        write_string(w, "confidentiality", "non-confidential");
        write_string(w, "location", c.location.value_or(""));
        w.Key("phones");
        w.StartArray();
        for (const PhoneInput& p : c.phones) {
            w.StartObject();
            write_optional_string(w, "type", p.type);
            write_string(w, "value", p.value);
            w.EndObject();
        }
        w.EndArray();
        write_strings(w, "emails", c.emails);
        write_strings(w, "links", c.links);
        if (o.archived) {
            w.Key("archived");
            w.StartObject();
            write_int(w, "archivedAt", *o.archived->archived_at);
            write_string(w, "reason", o.archived->reason);
            w.EndObject();
        } else {
            write_null(w, "archived");
        }
        write_strings(w, "tags", o.tags);
        write_strings(w, "sources", o.sources);
        w.Key("stageChanges");
        w.StartArray();
        std::vector<std::pair<std::string, std::int64_t>> changes = o.stage_changes;
        if (changes.empty()) {
            changes.emplace_back(o.stage, o.created_at);
        }
        for (const auto& [stage, at] : changes) {
            w.StartObject();
            write_string(w, "toStageId", stage);
            write_int(w, "toStageIndex", stage_index(stage));
            write_int(w, "updatedAt", at);
            write_string(w, "userId", o.ctx.perform_as);
            w.EndObject();
        }
        w.EndArray();
        write_string(w, "origin", o.origin);
        write_string(w, "sourcedBy", o.ctx.perform_as);
        write_string(w, "owner", o.owner);
        write_strings(w, "followers", o.followers);
        w.Key("applications");
        w.StartArray();
        if (o.application && expand) {
            w.StartObject();
            write_string(w, "id", *o.application);
            write_string(w, "type", "posting");
            write_string(w, "posting", *o.posting);
            write_string(w, "opportunityId", o.id);
            write_int(w, "createdAt", o.created_at);
            write_string(w, "user", o.ctx.perform_as);
            w.EndObject();
        } else if (o.application) {
            w.String(o.application->c_str());
        }
        w.EndArray();
        write_int(w, "createdAt", o.created_at);
        write_int(w, "updatedAt", o.updated_at);
        write_int(w, "lastInteractionAt", o.updated_at);
        write_int(w, "lastAdvancedAt", o.created_at);
        write_null(w, "snoozedUntil");
        w.Key("urls");
        w.StartObject();
        write_string(w, "list", "https://hire.lever.co/candidates");
        write_string(w, "show", "https://hire.lever.co/candidates/" + o.id);
        w.EndObject();
        write_bool(w, "isAnonymized", false);
        write_null(w, "dataProtection");
        write_optional_string(w, "opportunityLocation", o.opportunity_location);
        w.EndObject();
    });
}

std::optional<std::string> OpportunityStore::find(const std::string& id) const {
    std::lock_guard lock(m_mutex);
    for (const Opportunity& o : m_opportunities) {
        if (o.id == id) {
            return build_json([&](JsonWriter& w) {
                w.StartObject();
                w.Key("data");
                write_raw(w, opportunity_json(o, false));
                w.EndObject();
            });
        }
    }
    return std::nullopt;
}

std::optional<std::string> OpportunityStore::list(const httplib::Request& req,
                                                  std::string& error) const {
    // expand is repeated (expand=applications&expand=stage), never comma-joined.
    bool expand = false;
    bool expand_stage = false;
    for (std::size_t i = 0; i < req.get_param_value_count("expand"); ++i) {
        const std::string value = req.get_param_value("expand", i);
        if (value == "applications") {
            expand = true;
        } else if (value == "stage") {
            expand_stage = true;
        } else {
            error = "expand=" + value
                    + " is not supported by the sandbox (applications, stage; repeat expand)";
            return std::nullopt;
        }
    }
    const std::string archived = req.get_param_value("archived");
    if (!archived.empty() && archived != "true" && archived != "false") {
        error = "archived must be true or false";
        return std::nullopt;
    }
    // archived_at_start/_end: ms since the epoch, both inclusive (lever-api.md §3).
    std::optional<std::int64_t> archived_range[2];
    const char* range_names[2] = {"archived_at_start", "archived_at_end"};
    for (int i = 0; i < 2; ++i) {
        if (req.has_param(range_names[i])) {
            archived_range[i] = parse_int(req.get_param_value(range_names[i]));
            if (!archived_range[i]) {
                error = std::string(range_names[i]) + " must be a timestamp in milliseconds";
                return std::nullopt;
            }
        }
    }
    const auto in_range = [&](const Opportunity& o) {
        if (!archived_range[0] && !archived_range[1]) {
            return true;
        }
        if (!o.archived || !o.archived->archived_at) {
            return false;
        }
        const std::int64_t at = *o.archived->archived_at;
        return (!archived_range[0] || at >= *archived_range[0])
               && (!archived_range[1] || at <= *archived_range[1]);
    };
    std::lock_guard lock(m_mutex);
    std::vector<const Opportunity*> hits;
    std::vector<PageKey> keys;
    for (const Opportunity& o : m_opportunities) {
        const Contact& c = contact_of(o);
        const bool ok =
            filter(
                req, "email", [&](const std::string& e) { return has_email(c.emails, lower(e)); })
            && filter(req, "tag", [&](const std::string& t) { return contains(o.tags, t); })
            && filter(req, "posting_id", [&](const std::string& p) { return o.posting == p; })
            && filter(req, "contact_id", [&](const std::string& id) { return c.id == id; })
            && filter(req, "origin", [&](const std::string& v) { return o.origin == v; })
            && filter(req, "stage_id", [&](const std::string& v) { return o.stage == v; })
            && filter(req,
                      "archive_reason_id",
                      [&](const std::string& v) { return o.archived && o.archived->reason == v; })
            && (archived.empty() || (archived == "true") == o.archived.has_value())
            && in_range(o);
        if (ok) {
            hits.push_back(&o);
            keys.push_back(PageKey{o.created_at, o.id});
        }
    }
    const std::optional<Page> page = read_page(req, keys, error);
    if (!page) {
        return std::nullopt;
    }
    return page_json(
        *page, keys, [&](std::size_t i) {
            return opportunity_json(*hits[i], expand, expand_stage);
        });
}

std::string OpportunityStore::change(const std::string& id,
                                     const std::optional<std::string>& stage,
                                     const std::optional<std::string>& reason) {
    if (stage
        && std::none_of(k_lever_stages.begin(), k_lever_stages.end(),
                        [&](const LeverStage& known) { return known.id == *stage; })) {
        return "unknown stage " + *stage;
    }
    if (reason && !reason->empty()
        && std::none_of(k_lever_archive_reasons.begin(), k_lever_archive_reasons.end(),
                        [&](const LeverArchiveReason& r) { return r.id == *reason; })) {
        return "unknown archive reason " + *reason;
    }
    std::lock_guard lock(m_mutex);
    for (Opportunity& o : m_opportunities) {
        if (o.id != id) {
            continue;
        }
        const std::int64_t now = now_ms();
        if (stage) {
            if (o.stage_changes.empty()) {
                o.stage_changes.emplace_back(o.stage, o.created_at);
            }
            o.stage = *stage;
            o.stage_changes.emplace_back(o.stage, now);
        }
        if (reason) {
            if (reason->empty()) {
                o.archived.reset();
            } else {
                ArchivedInput archived;
                archived.archived_at = now;
                archived.reason = *reason;
                o.archived = archived;
            }
        }
        o.updated_at = now;
        return {};
    }
    return "no opportunity " + id;
}

void OpportunityStore::reset() {
    std::lock_guard lock(m_mutex);
    m_contacts.clear();
    m_opportunities.clear();
}

std::string OpportunityStore::state_json() const {
    const auto file_json = [](JsonWriter& w, const FileInput& f) {
        w.StartObject();
        write_string(w, "field", f.field);
        write_string(w, "filename", f.filename);
        write_string(w, "content_type", f.content_type);
        write_int(w, "size", static_cast<std::int64_t>(f.size));
        w.EndObject();
    };
    std::lock_guard lock(m_mutex);
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        w.Key("opportunities");
        w.StartArray();
        for (const Opportunity& o : m_opportunities) {
            w.StartObject();
            write_string(w, "id", o.id);
            write_string(w, "contact", o.contact);
            write_bool(w, "deduped", o.deduped);
            write_string(w, "perform_as", o.ctx.perform_as);
            write_bool(w, "parse", o.ctx.parse);
            write_string(w, "credential", o.ctx.credential);
            write_optional_string(w, "posting", o.posting);
            write_bool(w, "multipart", o.input.multipart);
            write_strings(w, "parts", o.input.part_names);
            w.Key("resume");
            if (o.input.resume) {
                file_json(w, *o.input.resume);
            } else {
                w.Null();
            }
            w.Key("files");
            w.StartArray();
            for (const FileInput& f : o.input.files) {
                file_json(w, f);
            }
            w.EndArray();
            w.Key("body");
            write_raw(w, o.input.body_json);
            w.Key("opportunity");
            write_raw(w, opportunity_json(o, false));
            w.EndObject();
        }
        w.EndArray();
        w.Key("contacts");
        w.StartArray();
        for (const Contact& c : m_contacts) {
            w.StartObject();
            write_string(w, "id", c.id);
            write_optional_string(w, "name", c.name);
            write_strings(w, "emails", c.emails);
            write_strings(w, "links", c.links);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    });
}

} // namespace pjats::fakes
