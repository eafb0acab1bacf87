#include "table.hpp"

#include "context.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace pjats::cli {

namespace {

constexpr std::size_t k_gap = 2;
constexpr std::size_t k_min_shrunk = 8; // a shortened column keeps this much (or its header)

} // namespace

std::optional<std::size_t> table_width() {
    if (isatty(STDOUT_FILENO) != 1) {
        return std::nullopt;
    }
    if (const char* columns = std::getenv("COLUMNS")) {
        char* end = nullptr;
        const long value = std::strtol(columns, &end, 10);
        if (end != columns && *end == '\0' && value >= 20) {
            return static_cast<std::size_t>(value);
        }
    }
    winsize size{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20) {
        return size.ws_col;
    }
    return 80;
}

std::size_t display_width(const std::string& text) {
    std::size_t width = 0;
    for (const char c : text) {
        width += (static_cast<unsigned char>(c) & 0xC0) == 0x80 ? 0 : 1;
    }
    return width;
}

std::string shorten(const std::string& text, std::size_t width) {
    if (display_width(text) <= width) {
        return text;
    }
    if (width == 0) {
        return {};
    }
    std::string out;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool starts = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
        if (starts && shown++ == width - 1) {
            break;
        }
        out += text[i];
    }
    return out + "\u2026";
}

Table::Table(std::vector<Column> columns)
    : m_columns(std::move(columns)) {}

void Table::add(std::vector<std::string> cells) {
    cells.resize(m_columns.size());
    m_rows.push_back(std::move(cells));
}

void Table::print(std::ostream& out, std::optional<std::size_t> width) {
    const std::size_t n = m_columns.size();
    std::vector<std::size_t> natural(n);
    for (std::size_t i = 0; i < n; ++i) {
        natural[i] = display_width(m_columns[i].header);
        for (const auto& row : m_rows) {
            natural[i] = std::max(natural[i], display_width(row[i]));
        }
    }
    const auto floor_of = [&](std::size_t i) {
        return m_columns[i].shrinkable
                   ? std::min(natural[i],
                              std::max(k_min_shrunk, display_width(m_columns[i].header)))
                   : natural[i];
    };
    std::vector<bool> shown(n, true);
    std::vector<std::size_t> used = natural;
    m_left_out.clear();
    if (width) {
        const auto total = [&](bool floors) {
            std::size_t sum = 0;
            std::size_t count = 0;
            for (std::size_t i = 0; i < n; ++i) {
                if (shown[i]) {
                    sum += floors ? floor_of(i) : used[i];
                    ++count;
                }
            }
            return sum + (count > 0 ? (count - 1) * k_gap : 0);
        };
        // Leave out the least important columns until the rest can fit.
        while (total(true) > *width) {
            std::optional<std::size_t> victim;
            for (std::size_t i = 0; i < n; ++i) {
                if (shown[i] && m_columns[i].drop_order > 0
                    && (!victim || m_columns[i].drop_order >= m_columns[*victim].drop_order)) {
                    victim = i;
                }
            }
            if (!victim) {
                break; // only the columns that stay: printed whole, wider than the terminal
            }
            shown[*victim] = false;
            m_left_out.push_back(m_columns[*victim].header);
        }
        // Then shorten the widest shrinkable column, one character at a time.
        while (total(false) > *width) {
            std::optional<std::size_t> widest;
            for (std::size_t i = 0; i < n; ++i) {
                if (shown[i] && m_columns[i].shrinkable && used[i] > floor_of(i)
                    && (!widest || used[i] > used[*widest])) {
                    widest = i;
                }
            }
            if (!widest) {
                break;
            }
            --used[*widest];
        }
    }
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        std::size_t pending = 0; // spaces owed before the next cell
        for (std::size_t i = 0; i < n; ++i) {
            if (!shown[i]) {
                continue;
            }
            const std::string cell = m_columns[i].shrinkable ? shorten(cells[i], used[i])
                                                             : cells[i];
            if (!text.empty() || pending > 0) {
                text += std::string(pending, ' ');
            }
            text += cell;
            const std::size_t w = display_width(cell);
            pending = (used[i] > w ? used[i] - w : 0) + k_gap;
        }
        while (!text.empty() && text.back() == ' ') {
            text.pop_back(); // an empty last cell leaves no padding behind
        }
        out << text << '\n';
    };
    std::vector<std::string> header;
    for (const auto& column : m_columns) {
        header.push_back(column.header);
    }
    line(header);
    for (const auto& row : m_rows) {
        line(row);
    }
}

void print_fitted(Context& ctx, Table& table) {
    const std::optional<std::size_t> width = table_width();
    table.print(ctx.out, width);
    if (!table.left_out().empty() && width) {
        std::string names;
        for (const auto& name : table.left_out()) {
            names += (names.empty() ? "" : ", ") + name;
        }
        ctx.note("left out to fit " + std::to_string(*width) + " columns: " + names
                 + " (--json has every field)");
    }
}

} // namespace pjats::cli
