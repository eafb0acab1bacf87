// Fuzzes the JSON Resume record parser and both mappings built on it:
// model::parse_record, validate_for_send, greenhouse::candidate_body and
// lever::opportunity_json / opportunity_form.

#include <pjats/greenhouse/mapping.hpp>
#include <pjats/lever/mapping.hpp>
#include <pjats/model/record.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto candidate = pjats::model::parse_record(text, "fuzz.json", "/nonexistent-fuzz-dir");
    if (!candidate) {
        return 0;
    }
    auto valid = pjats::model::validate_for_send(*candidate);
    (void)valid;

    pjats::greenhouse::CandidateOptions prospect;
    (void)pjats::greenhouse::candidate_body(*candidate, prospect);
    pjats::greenhouse::CandidateOptions on_job;
    on_job.job_id = static_cast<std::int64_t>(size) * 7919;
    (void)pjats::greenhouse::candidate_body(*candidate, on_job);
    (void)pjats::greenhouse::candidate_notes(*candidate);

    pjats::lever::OpportunityOptions options;
    options.posting_id = "posting-fuzz";
    options.tags = {"Purpose Jobs", "fuzz"};
    (void)pjats::lever::opportunity_json(*candidate, options);
    (void)pjats::lever::opportunity_form(*candidate, options);
    return 0;
}
