// The command's transport stack: one curl transport, one ServerHold, one pacer per target.
#include <pjats/app/services.hpp>
#include <pjats/http/multi_transport.hpp>
#include <pjats/http/retry.hpp>

#include <algorithm>
#include <optional>

namespace pjats::app {

Pace pace_for(const std::string& target, const Pace& requested) {
    Pace pace{requested.rate, std::max(1.0, requested.burst)};
    if (target == "lever") {
        pace.burst = lever::k_client_burst;
        if (pace.rate <= 0 || pace.rate > lever::k_rate_per_second) {
            pace.rate = lever::k_rate_per_second;
        }
    }
    return pace;
}

struct Transports::Stack {
    std::unique_ptr<http::TokenBucket> pacer;       // null: unlimited or adaptive
    std::unique_ptr<http::AdaptivePacer> adaptive;  // Greenhouse without --rate
    std::string pace_file;                          // where `adaptive` is remembered
    bool remembered = false;                        // `adaptive` started from the file
    std::unique_ptr<http::Transport> paced;
    std::unique_ptr<http::Transport> retrying;
};

Transports::Transports(TransportSettings settings)
    : m_settings(std::move(settings)),
      m_hold(std::make_shared<http::ServerHold>()) {
    http::Transport* base = m_settings.base;
    if (base == nullptr) {
        http::TransportOptions options;
        options.user_agent = http::default_user_agent();
        options.ca_bundle = m_settings.ca_bundle;
        options.total_timeout = m_settings.timeout;
        options.trace = m_settings.trace;
        m_curl = m_settings.max_connections > 0
                     ? http::make_multi_transport(std::move(options), m_settings.max_connections)
                     : http::make_curl_transport(std::move(options));
        base = m_curl.get();
    }
    m_shared = wrap(*base);
}

Transports::~Transports() {
    remember_pace();
}

void Transports::remember_pace() {
    const std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& [name, stack] : m_targets) {
        if (!stack->adaptive || stack->pace_file.empty()) {
            continue;
        }
        // Only a rate a 429 taught, or one already remembered and probed since, is worth
        // keeping: a run that never met the limit knows nothing about it.
        if (stack->adaptive->learned() && (stack->remembered || stack->adaptive->throttles() > 0)) {
            (void)http::save_learned_rate(stack->pace_file, stack->adaptive->learnt_rate());
        }
    }
}

std::unique_ptr<http::Transport> Transports::wrap(http::Transport& inner) {
    if (m_settings.max_connections > 0) {
        return std::make_unique<http::ConcurrentRetryingTransport>(
            inner, http::RetryPolicy{}, m_settings.trace, m_hold);
    }
    auto retrying = std::make_unique<http::RetryingTransport>(inner,
                                                              http::RetryPolicy{},
                                                              http::RetryingTransport::Sleeper{},
                                                              http::RetryingTransport::Clock{},
                                                              std::random_device{}(),
                                                              m_hold);
    if (m_settings.trace) {
        retrying->set_trace(m_settings.trace);
    }
    return retrying;
}

http::Transport& Transports::shared() {
    return *m_shared;
}

http::Transport& Transports::target(const std::string& name) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    std::unique_ptr<Stack>& stack = m_targets[name];
    if (!stack) {
        stack = std::make_unique<Stack>();
        http::Transport* inner = m_settings.base != nullptr ? m_settings.base : m_curl.get();
        const Pace pace = pace_for(name, m_settings.requested);
        // The key's state file: the rate learnt (adaptive) and, next to it, the balance of
        // the one bucket every process of the key on this machine draws from.
        const std::string pace_file =
            m_settings.pace_file ? m_settings.pace_file(name) : std::string();
        std::unique_ptr<http::SharedBucketFile> shared =
            pace_file.empty() ? nullptr : http::SharedBucketFile::open(pace_file + ".bucket");
        if (pace.rate > 0) {
            stack->pacer = std::make_unique<http::TokenBucket>(pace.rate, pace.burst);
            stack->pacer->share(std::move(shared));
            stack->paced = std::make_unique<http::PacedTransport>(*inner, *stack->pacer);
            inner = stack->paced.get();
        } else if (name == "greenhouse") {
            stack->pace_file = pace_file;
            const std::optional<double> remembered =
                stack->pace_file.empty() ? std::nullopt
                                         : http::load_learned_rate(stack->pace_file);
            stack->remembered = remembered.has_value();
            http::AdaptiveParams params;
            if (m_settings.adaptive_start > 0) {
                params.initial_rate = std::min(params.max_rate, m_settings.adaptive_start);
            }
            stack->adaptive = std::make_unique<http::AdaptivePacer>(params, remembered.value_or(0));
            stack->adaptive->share(std::move(shared));
            auto adaptive =
                std::make_unique<http::AdaptivePacedTransport>(*inner, *stack->adaptive);
            if (m_settings.trace) {
                adaptive->set_trace(m_settings.trace);
            }
            stack->paced = std::move(adaptive);
            inner = stack->paced.get();
        }
        stack->retrying = wrap(*inner);
    }
    return *stack->retrying;
}

const http::TokenBucket* Transports::pacer(const std::string& name) const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_targets.find(name);
    return it == m_targets.end() ? nullptr : it->second->pacer.get();
}

const http::AdaptivePacer* Transports::adaptive_pacer(const std::string& name) const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_targets.find(name);
    return it == m_targets.end() ? nullptr : it->second->adaptive.get();
}

} // namespace pjats::app
