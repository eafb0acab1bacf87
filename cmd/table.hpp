#pragma once

// The one text table of the commands (ledger list, track, postings, hires --format text):
// a header, columns aligned two spaces apart, fitted to the terminal. Ids are never cut:
// when the table is too wide, the columns that may shrink lose characters at their end
// ("…"), and when that is not enough the least important columns are left out (named on
// stderr by the caller, from left_out()).

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace pjats::cli {

struct Column {
    std::string header;
    // May be shortened with an ellipsis (never an id).
    bool shrinkable = false;
    // Lower is kept longer when columns must be left out; 0 is never left out.
    int drop_order = 0;
};

// The width tables fit on stdout: nullopt (no limit) when stdout is not a terminal;
// otherwise COLUMNS when it holds a number >= 20, else the terminal's width, else 80.
std::optional<std::size_t> table_width();

// Characters as a terminal shows them: UTF-8 code points (continuation bytes not counted).
std::size_t display_width(const std::string& text);

// `text` in at most `width` columns: cut at a code point boundary and ended with "…".
std::string shorten(const std::string& text, std::size_t width);

class Table {
  public:
    explicit Table(std::vector<Column> columns);

    void add(std::vector<std::string> cells);

    // Prints the header and rows fitted to `width` (nullopt: natural widths). No line ends
    // in spaces.
    void print(std::ostream& out, std::optional<std::size_t> width);

    // The headers of the columns the last print() left out (empty when all fit).
    const std::vector<std::string>& left_out() const {
        return m_left_out;
    }

  private:
    std::vector<Column> m_columns;
    std::vector<std::vector<std::string>> m_rows;
    std::vector<std::string> m_left_out;
};

class Context;

// Prints `table` on the context's stdout fitted to table_width(), and a note on stderr
// naming the columns left out (unless --quiet).
void print_fitted(Context& ctx, Table& table);

} // namespace pjats::cli
