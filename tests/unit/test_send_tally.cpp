// send::Tally: the one rule from a run's outcomes to its exit code (send and sync).

#include <pjats/send/tally.hpp>
#include <pjats/send/target.hpp>

#include <doctest/doctest.h>

namespace {

using namespace pjats;

send::ItemReport report(send::ItemStatus status, ErrorKind kind = ErrorKind::failure) {
    send::ItemReport r;
    r.candidate_id = "c1";
    r.status = status;
    r.error = make_error(kind, "x");
    return r;
}

} // namespace

TEST_CASE("send::Tally: exit codes") {
    send::Tally empty;
    CHECK(empty.exit_code() == 0);

    send::Tally ok;
    ok.add(report(send::ItemStatus::sent));
    ok.add(report(send::ItemStatus::skipped));
    ok.add(report(send::ItemStatus::in_flight, ErrorKind::temporary)); // the other run's
    CHECK(ok.exit_code() == 0);
    CHECK(ok.counts().items() == 3);

    send::Tally partial;
    partial.add(report(send::ItemStatus::skipped));
    partial.add(report(send::ItemStatus::failed, ErrorKind::temporary));
    CHECK(partial.exit_code() == 3);
    CHECK(partial.counts().retryable == 1);

    send::Tally same;
    same.add(report(send::ItemStatus::failed, ErrorKind::validation));
    same.add(report(send::ItemStatus::failed, ErrorKind::validation));
    CHECK(same.exit_code() == 6);
    CHECK(same.counts().retryable == 0);

    send::Tally mixed;
    mixed.add(report(send::ItemStatus::failed, ErrorKind::validation));
    mixed.add_failure(make_error(ErrorKind::temporary, "source down"));
    CHECK(mixed.exit_code() == 1);

    send::Tally review;
    review.add(report(send::ItemStatus::review, ErrorKind::temporary));
    CHECK(review.exit_code() == 7);

    send::Tally stopped;
    stopped.add(report(send::ItemStatus::sent));
    stopped.interrupt();
    CHECK(stopped.exit_code() == 130);
    stopped.stop(make_error(ErrorKind::auth, "HTTP 401"));
    CHECK(stopped.exit_code() == 4); // the stopping error wins over the interrupt
}

TEST_CASE("send::Destination: the ledger's destination keys, built and parsed in one place") {
    using send::Destination;
    CHECK(Destination::job(4690).key() == "job:4690");
    CHECK(Destination::posting("abc-1").key() == "posting:abc-1");
    CHECK(Destination::posting("").key().empty());
    CHECK(Destination{}.key().empty());
    const Destination job = Destination::parse("job:4690");
    CHECK(job.kind == Destination::Kind::job);
    CHECK(job.id == "4690");
    const Destination posting = Destination::parse("posting:abc-1");
    CHECK(posting.kind == Destination::Kind::posting);
    CHECK(posting.id == "abc-1");
    CHECK(Destination::parse("").kind == Destination::Kind::none);
}
