// Secret resolution: environment, then a credential-helper command, then the stored
// value. The helper runs under /bin/sh with stdin from /dev/null; its stdout is captured
// (never echoed in errors) and its stderr goes straight to the user. Every resolved
// secret is registered with http::register_secret so that no output can carry it.

#include "unique_fd.hpp"

#include <pjats/http/secrets.hpp>
#include <pjats/profile/profile.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

extern char** environ;

namespace pjats::profile {

namespace {

// A credential helper printing more than this is certainly not printing just a secret.
constexpr std::size_t k_max_command_output = 64 * 1024;

class SpawnActions {
  public:
    SpawnActions() {
        m_ok = ::posix_spawn_file_actions_init(&m_actions) == 0;
    }

    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;

    ~SpawnActions() {
        if (m_ok) {
            ::posix_spawn_file_actions_destroy(&m_actions);
        }
    }

    bool ok() const {
        return m_ok;
    }

    posix_spawn_file_actions_t* get() {
        return &m_actions;
    }

  private:
    posix_spawn_file_actions_t m_actions{};
    bool m_ok = false;
};

class SpawnAttributes {
  public:
    SpawnAttributes() {
        m_ok = ::posix_spawnattr_init(&m_attr) == 0;
    }

    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;

    ~SpawnAttributes() {
        if (m_ok) {
            ::posix_spawnattr_destroy(&m_attr);
        }
    }

    bool ok() const {
        return m_ok;
    }

    posix_spawnattr_t* get() {
        return &m_attr;
    }

  private:
    posix_spawnattr_t m_attr{};
    bool m_ok = false;
};

Error command_error(const std::string& key, const std::string& what) {
    return make_error(ErrorKind::config, key + " " + what, key);
}

// The child starts with default signal dispositions and an empty mask, whatever the
// caller (which may ignore SIGPIPE or block signals) has set.
bool reset_signals(SpawnAttributes& attr) {
    sigset_t defaults;
    sigset_t empty;
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD}) {
        sigaddset(&defaults, sig);
    }
    sigemptyset(&empty);
    return ::posix_spawnattr_setsigdefault(attr.get(), &defaults) == 0
           && ::posix_spawnattr_setsigmask(attr.get(), &empty) == 0
           && ::posix_spawnattr_setflags(attr.get(), POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
                  == 0;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    return status;
}

// Reads `fd` to EOF, keeping at most k_max_command_output bytes; false when more came
// (the pipe is then closed so that the writer stops).
bool read_capped(detail::UniqueFd& fd, std::string& out) {
    std::array<char, 4096> buffer{};
    for (;;) {
        ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return true; // a read error ends the output; the exit status decides
        }
        if (n == 0) {
            return true;
        }
        out.append(buffer.data(), static_cast<std::size_t>(n));
        if (out.size() > k_max_command_output) {
            fd.reset();
            return false;
        }
    }
}

std::string first_line_trimmed(const std::string& output) {
    std::string line = output.substr(0, output.find('\n'));
    const char* space = " \t\r\v\f";
    const std::string::size_type begin = line.find_first_not_of(space);
    if (begin == std::string::npos) {
        return {};
    }
    const std::string::size_type end = line.find_last_not_of(space);
    return line.substr(begin, end - begin + 1);
}

Result<std::string> run_secret_command(const std::string& command, const std::string& key) {
    int pipe_fds[2] = {-1, -1};
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return command_error(key, std::string("could not be run: ") + std::strerror(errno));
    }
    detail::UniqueFd read_end(pipe_fds[0]);
    detail::UniqueFd write_end(pipe_fds[1]);

    SpawnActions actions;
    SpawnAttributes attr;
    if (!actions.ok() || !attr.ok() || !reset_signals(attr)
        || ::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0)
               != 0
        || ::posix_spawn_file_actions_adddup2(actions.get(), write_end.get(), STDOUT_FILENO) != 0) {
        return command_error(key, "could not be run: cannot prepare the process");
    }
    std::string shell_command = command;
    char arg0[] = "sh";
    char arg1[] = "-c";
    char* argv[] = {arg0, arg1, shell_command.data(), nullptr};
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, "/bin/sh", actions.get(), attr.get(), argv, environ);
    if (spawned != 0) {
        return command_error(key, std::string("could not be run: ") + std::strerror(spawned));
    }
    write_end.reset(); // so that read() sees EOF when the child exits

    std::string output;
    const bool complete = read_capped(read_end, output);
    read_end.reset();
    const int status = wait_for(pid);
    if (status < 0) {
        return command_error(key, "could not be waited for");
    }
    if (!complete) {
        return command_error(key, "printed more than 64 KB");
    }
    if (WIFSIGNALED(status)) {
        return command_error(key,
                             "failed (killed by signal " + std::to_string(WTERMSIG(status)) + ")");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return command_error(key, "failed (exit " + std::to_string(WEXITSTATUS(status)) + ")");
    }
    std::string secret = first_line_trimmed(output);
    if (secret.empty()) {
        return command_error(key, "printed nothing");
    }
    return secret;
}

} // namespace

Result<Secret> resolve_secret(const std::string& env_name,
                              const std::string& command,
                              const std::string& stored,
                              const std::string& command_key) {
    Secret secret;
    const char* from_env = env_name.empty() ? nullptr : std::getenv(env_name.c_str());
    if (from_env != nullptr && *from_env != '\0') {
        secret.value = from_env;
        secret.origin = SecretOrigin::environment;
        secret.where = env_name;
        http::register_secret(secret.value);
        return secret;
    }
    if (!command.empty()) {
        auto value = run_secret_command(command, command_key);
        if (!value) {
            return std::move(value).error();
        }
        secret.value = std::move(*value);
        secret.origin = SecretOrigin::command;
        secret.where = "command";
        http::register_secret(secret.value);
        return secret;
    }
    if (!stored.empty()) {
        secret.value = stored;
        secret.origin = SecretOrigin::profile;
        secret.where = "profile";
        http::register_secret(secret.value);
    }
    return secret;
}

const char* to_string(SecretOrigin origin) {
    switch (origin) {
    case SecretOrigin::none:
        return "none";
    case SecretOrigin::environment:
        return "environment";
    case SecretOrigin::command:
        return "command";
    case SecretOrigin::profile:
        return "profile";
    }
    return "none";
}

} // namespace pjats::profile
