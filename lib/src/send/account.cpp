// The organization a target's credential reaches, as the ledger keys it (send/account.hpp).

#include <pjats/http/url.hpp>
#include <pjats/send/account.hpp>

#include <set>
#include <utility>
#include <vector>

namespace pjats::send {

namespace {

// "first rest" → {first, rest}
std::pair<std::string, std::string> split_first(const std::string& value) {
    const std::size_t space = value.find(' ');
    if (space == std::string::npos) {
        return {value, {}};
    }
    return {value.substr(0, space), value.substr(space + 1)};
}

struct Known {
    std::string user;
    std::string proof;
};

// Every recorded member of the organization anchored on `anchor` (anchor first).
Result<std::vector<Known>> members_of(ledger::Ledger& ledger, const std::string& member_prefix,
                                      const Known& anchor) {
    std::vector<Known> members{anchor};
    auto meta = ledger.all_meta();
    if (!meta) {
        return std::move(meta).error();
    }
    for (const auto& [name, value] : *meta) {
        if (name.rfind(member_prefix, 0) != 0) {
            continue;
        }
        const std::string user = name.substr(member_prefix.size());
        auto [of, proof] = split_first(value);
        if (of == anchor.user && user != anchor.user) {
            members.push_back({user, proof});
        }
    }
    return members;
}

// Rows keyed by a per-user key ("<url spelling>#user:<id>") of a member of `anchor` on
// `url` move to `account`.
Status adopt_user_rows(ledger::Ledger& ledger, const Target& target, const std::string& url,
                       const std::string& member_prefix, const std::string& anchor,
                       const std::string& account) {
    auto rows = ledger.list(std::nullopt);
    if (!rows) {
        return std::move(rows).error();
    }
    std::set<std::string> accounts;
    for (const ledger::Entry& entry : *rows) {
        if (entry.key.target == target.name()) {
            accounts.insert(entry.key.account);
        }
    }
    for (const std::string& old : accounts) {
        const std::size_t hash = old.rfind("#user:");
        if (hash == std::string::npos || http::canonical_base_url(old.substr(0, hash)) != url) {
            continue;
        }
        const std::string user = old.substr(hash + 6);
        bool member = user == anchor;
        if (!member) {
            auto of = ledger.meta(member_prefix + user);
            if (!of) {
                return std::move(of).error();
            }
            member = split_first(*of).first == anchor;
        }
        if (member) {
            PJATS_TRY(ledger.rekey_account(target.name(), old, account));
        }
    }
    return {};
}

} // namespace

Result<std::string> bind_account(ledger::Ledger& ledger, Target& target, bool may_ask) {
    const OrgIdentity self = target.org_identity();
    if (self.user.empty() || self.url.empty()) {
        return target.account();
    }
    const std::string scope = target.name() + "|" + self.url + "|";
    const std::string member_prefix = "org_member|" + scope;
    const std::string member_name = member_prefix + self.user;
    auto recorded = ledger.meta(member_name);
    if (!recorded) {
        return std::move(recorded).error();
    }
    std::string anchor = split_first(*recorded).first;
    const bool first_time = anchor.empty();
    if (first_time && !may_ask) {
        return target.account();
    }
    for (int slot = 1; anchor.empty() && slot <= k_max_organizations; ++slot) {
        const std::string name = "org|" + scope + std::to_string(slot);
        auto value = ledger.meta(name);
        if (!value) {
            return std::move(value).error();
        }
        if (value->empty()) {
            auto added = ledger.add_meta(name, self.user + " " + self.proof);
            if (!added) {
                return std::move(added).error();
            }
            if (*added) {
                anchor = self.user;
                break;
            }
            value = ledger.meta(name); // another host took the slot first
            if (!value) {
                return std::move(value).error();
            }
        }
        auto [user, proof] = split_first(*value);
        if (user == self.user) {
            anchor = user;
            break;
        }
        auto members = members_of(ledger, member_prefix, Known{user, proof});
        if (!members) {
            return std::move(members).error();
        }
        for (const Known& member : *members) {
            auto reached = target.reaches_user(member.user, member.proof);
            if (!reached) {
                return std::move(reached).error();
            }
            if (*reached) {
                anchor = user;
                break;
            }
        }
    }
    if (anchor.empty()) {
        return make_error(ErrorKind::config,
                          "the ledger knows " + std::to_string(k_max_organizations)
                              + " organizations on " + self.url + " and this credential "
                              + "reaches none of them");
    }
    const std::string account = account_key(self.url, "org:" + anchor);
    if (first_time) {
        PJATS_TRY(ledger.set_meta(member_name, anchor + " " + self.proof));
        PJATS_TRY(adopt_user_rows(ledger, target, self.url, member_prefix, anchor, account));
    }
    target.set_account(account);
    return account;
}

} // namespace pjats::send
