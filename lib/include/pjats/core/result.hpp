#pragma once

#include <pjats/core/error.hpp>

#include <cassert>
#include <utility>
#include <variant>

namespace pjats {

// Result<T> holds either a T or an Error; the library returns it for every expected
// failure instead of throwing. The API mirrors std::expected so it can be swapped later.
template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}

    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return m_v.index() == 0; }

    explicit operator bool() const { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(m_v);
    }

    const T& value() const& {
        assert(has_value());
        return std::get<0>(m_v);
    }

    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(m_v));
    }

    T* operator->() { return &value(); }

    const T* operator->() const { return &value(); }

    T& operator*() & { return value(); }

    const T& operator*() const& { return value(); }

    const Error& error() const& {
        assert(!has_value());
        return std::get<1>(m_v);
    }

    Error&& error() && {
        assert(!has_value());
        return std::get<1>(std::move(m_v));
    }

  private:
    std::variant<T, Error> m_v;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;

    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool has_value() const { return m_ok; }

    explicit operator bool() const { return m_ok; }

    const Error& error() const& {
        assert(!m_ok);
        return m_error;
    }

    Error&& error() && {
        assert(!m_ok);
        return std::move(m_error);
    }

  private:
    Error m_error;
    bool m_ok = true;
};

using Status = Result<void>;

} // namespace pjats

// PJATS_TRY(expr): evaluate a Result-returning expression; on failure return its Error
// from the enclosing function (which must return some Result<U>).
#define PJATS_TRY(expr)                                                                            \
    do {                                                                                           \
        auto&& pjats_try_result_ = (expr);                                                         \
        if (!pjats_try_result_) {                                                                  \
            return std::move(pjats_try_result_).error();                                           \
        }                                                                                          \
    } while (false)
