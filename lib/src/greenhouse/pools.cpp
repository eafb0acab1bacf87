// Prospect pools and stages by name (send --pool / --pool-stage).
#include <pjats/greenhouse/target.hpp>

#include <algorithm>
#include <cctype>

namespace pjats::greenhouse {

namespace {

bool same_icase(const std::string& a, const std::string& b) {
    return a.size() == b.size()
           && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                  return std::tolower(static_cast<unsigned char>(x))
                         == std::tolower(static_cast<unsigned char>(y));
              });
}

// The one item named `name` (exact, else the only case-insensitive match); nullptr if none.
template <typename T>
const T* by_name(const std::vector<T>& items, const std::string& name) {
    const T* icase = nullptr;
    int icase_count = 0;
    for (const T& item : items) {
        if (item.name == name) {
            return &item;
        }
        if (same_icase(item.name, name)) {
            icase = &item;
            ++icase_count;
        }
    }
    return icase_count == 1 ? icase : nullptr;
}

template <typename T>
std::string names(const std::vector<T>& items) {
    std::string text;
    for (const T& item : items) {
        text += (text.empty() ? "\"" : ", \"") + item.name + "\"";
    }
    return text.empty() ? "none" : text;
}

} // namespace

Result<std::pair<std::int64_t, std::optional<std::int64_t>>>
find_pool(const std::vector<ProspectPool>& pools, const std::string& pool, const std::string& stage) {
    const ProspectPool* found = by_name(pools, pool);
    if (found == nullptr) {
        return make_error(ErrorKind::usage, "--pool: Greenhouse has no prospect pool \"" + pool
                                                + "\" (pools: " + names(pools) + ")");
    }
    std::optional<std::int64_t> stage_id;
    if (!stage.empty()) {
        const PoolStage* found_stage = by_name(found->stages, stage);
        if (found_stage == nullptr) {
            return make_error(ErrorKind::usage, "--pool-stage: prospect pool \"" + found->name
                                                    + "\" has no stage \"" + stage
                                                    + "\" (stages: " + names(found->stages) + ")");
        }
        stage_id = found_stage->id;
    }
    return std::make_pair(found->id, stage_id);
}

} // namespace pjats::greenhouse
