#pragma once

// One organization, one history (docs/ledger.md, "Accounts"): the ledger account a
// target's sends are keyed by is the organization its credential reaches, never the URL
// text, the acting user or the secret.

#include <pjats/core/result.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/send/target.hpp>

#include <string>

namespace pjats::send {

// How many organizations one server may have in one ledger (an agency with many clients).
inline constexpr int k_max_organizations = 64;

// Finds the organization `target` reaches among those the ledger knows on its server and
// makes its key the target's account ("<url>#org:<anchor user id>"):
//  1. this user is a recorded member of one (meta "org_member|<target>|<url>|<user>"):
//     that one, without a request;
//  2. else, in slot order, the first organization whose anchor user (or a recorded member)
//     this credential reaches (Target::reaches_user);
//  3. else a new organization anchored on this user, in the first free slot (meta
//     "org|<target>|<url>|<n>", written only if absent: two hosts starting at once agree).
// The user is then recorded as a member, and rows keyed by an earlier per-user key of a
// member ("<any spelling of url>#user:<id>") are moved to the organization's key.
// `may_ask` false (dry runs): only step 1; otherwise the account is left as it was.
// A target without an identity (empty OrgIdentity::user) is left as it was.
Result<std::string> bind_account(ledger::Ledger& ledger, Target& target, bool may_ask);

} // namespace pjats::send
