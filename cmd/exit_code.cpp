#include "exit_code.hpp"

namespace pjats::cli {

const char* exit_codes_help() {
    return "Exit status:\n"
           "  0    ok\n"
           "  1    failure (e.g. unknown candidate id, unexpected API answer)\n"
           "  2    usage error\n"
           "  3    partial: some candidates sent, some failed\n"
           "  4    authentication or permission problem: re-run `pj-ats configure`\n"
           "  5    configuration error (profile, file permissions, source)\n"
           "  6    rejected: the API (or local validation) refused the data\n"
           "  7    temporary: network, 5xx or rate limit after retries; safe to re-run\n"
           "  8    another run holds the lock\n"
           "  130  interrupted\n";
}

} // namespace pjats::cli
