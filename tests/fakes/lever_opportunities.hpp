#pragma once

// Lever contacts and opportunities held by the fake: creation with dedupe by email,
// retrieval and filtered, paginated listing.

#include "lever_opportunity_input.hpp"
#include "lever_postings.hpp"

#include <httplib.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pjats::fakes {

// Who creates an opportunity, from the query string and the credential.
struct CreateContext {
    std::string perform_as; // an active user id (checked by the caller)
    bool perform_as_posting_owner = false;
    bool parse = false;
    std::string credential; // "api_key" or "oauth"
};

class OpportunityStore {
  public:
    explicit OpportunityStore(const std::vector<Posting>& postings);

    // Creates an opportunity; a contact is reused when `contact` names one or an email
    // matches (its stored data wins; new emails, phones and links are added). Returns the
    // 201 body {"data": <opportunity>, "deduped": bool}, or nullopt with `error` set for a
    // 400 (unknown posting or contact, createdAt in the future, ...).
    std::optional<std::string>
    create(const OpportunityInput& input, const CreateContext& ctx, std::string& error);

    // {"data": <opportunity>} or nullopt when unknown.
    std::optional<std::string> find(const std::string& id) const;

    // GET /v1/opportunities: filters email, tag, posting_id, contact_id, origin, stage_id
    // archive_reason_id (each repeatable; a union within a filter, all filters combined;
    // tag is case-sensitive), archived, archived_at_start/_end (ms, inclusive), expand (repeated:
    // "applications", "stage"), limit and offset. Nullopt with `error` for a 400.
    std::optional<std::string> list(const httplib::Request& req, std::string& error) const;

    // Moves opportunity `id` to `stage` (a known stage id) and/or archives it now with
    // `reason` (a known archive reason; "" unarchives). "" or an error message.
    std::string change(const std::string& id, const std::optional<std::string>& stage,
                       const std::optional<std::string>& reason);

    void reset();

    // {"opportunities":[...], "contacts":[...]}
    std::string state_json() const;

  private:
    struct Contact {
        std::string id;
        std::optional<std::string> name;
        std::optional<std::string> headline;
        std::optional<std::string> location;
        std::vector<std::string> emails;
        std::vector<PhoneInput> phones;
        std::vector<std::string> links;
    };

    struct Opportunity {
        std::string id;
        std::string contact;
        std::string stage;
        std::string origin;
        std::string owner;
        std::vector<std::string> tags;
        std::vector<std::string> sources;
        std::vector<std::string> followers;
        std::optional<std::string> posting;
        std::optional<std::string> application;
        std::optional<std::string> opportunity_location;
        std::optional<ArchivedInput> archived;
        std::vector<std::pair<std::string, std::int64_t>> stage_changes; // later moves
        std::int64_t created_at = 0;
        std::int64_t updated_at = 0;
        bool deduped = false;
        CreateContext ctx;
        OpportunityInput input;
    };

    const Posting* posting(const std::string& id) const;
    // Index of the contact to use (an existing one, updated, or a new one).
    std::size_t contact_for(const OpportunityInput& input, bool& deduped);
    std::string opportunity_json(const Opportunity& o,
                                 bool expand_applications,
                                 bool expand_stage = false) const;
    const Contact& contact_of(const Opportunity& o) const;

    const std::vector<Posting>& m_postings;
    mutable std::mutex m_mutex;
    std::vector<Contact> m_contacts;
    std::vector<Opportunity> m_opportunities;
};

} // namespace pjats::fakes
