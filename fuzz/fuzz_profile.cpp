// Fuzzes the profile TOML loader: each input is written with mode 0600 to one fixed
// per-process path under /tmp and loaded with profile::load_config.

#include <pjats/profile/profile.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace {

// The input file; removed again when the fuzzer exits normally.
struct FuzzFile {
    std::string path = "/tmp/pjats-fuzz-profile-" + std::to_string(::getpid()) + ".toml";

    ~FuzzFile() {
        ::unlink(path.c_str());
    }
};

const std::string& fuzz_path() {
    static const FuzzFile file;
    return file.path;
}

bool write_input(const std::uint8_t* data, std::size_t size) {
    const std::string& path = fuzz_path();
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return false;
    }
    ::fchmod(fd, 0600);
    std::size_t done = 0;
    bool ok = true;
    while (done < size) {
        ssize_t n = ::write(fd, data + done, size - done);
        if (n <= 0) {
            ok = false;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return ok;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (!write_input(data, size)) {
        return 0;
    }
    auto config = pjats::profile::load_config(fuzz_path());
    if (config) {
        // Every loaded name must be one the loader itself accepts.
        for (const auto& [name, profile] : config->profiles) {
            (void)profile;
            if (!pjats::profile::check_profile_name(name)) {
                __builtin_trap();
            }
        }
        (void)pjats::profile::profile_name("", *config);
    }
    return 0;
}
