#include <pjats/source/id_list.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using pjats::source::count_ids_in_file;
using pjats::source::id_from_line;

TEST_CASE("source::id_from_line strips blanks and comments") {
    CHECK(id_from_line("1043") == std::optional<std::string>("1043"));
    CHECK(id_from_line("  1043  # trailing comment") == std::optional<std::string>("1043"));
    CHECK(id_from_line("1043#x") == std::optional<std::string>("1043"));
    CHECK(id_from_line("\t1044\r") == std::optional<std::string>("1044"));
    CHECK_FALSE(id_from_line("# a comment").has_value());
    CHECK_FALSE(id_from_line("   ").has_value());
    CHECK_FALSE(id_from_line("").has_value());
}

TEST_CASE("source::count_ids_in_file counts ids of regular files only") {
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / "pjats_test_id_list.txt";
    {
        std::ofstream out(path);
        out << "# header\n1042\n\n1043  # trailing\n  1044\n";
    }
    CHECK(count_ids_in_file(path.string()) == std::optional<std::int64_t>(3));
    std::filesystem::remove(path);
    CHECK_FALSE(count_ids_in_file(path.string()).has_value());
    CHECK_FALSE(count_ids_in_file("-").has_value());
    CHECK_FALSE(count_ids_in_file("/dev/null").has_value());
}
