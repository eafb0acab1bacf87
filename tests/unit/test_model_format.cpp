#include "model/format.hpp"

#include <doctest/doctest.h>

using pjats::model::format_number;
using pjats::model::format_salary;
using pjats::model::Location;
using pjats::model::one_line_address;
using pjats::model::Salary;
using pjats::model::short_location;
using pjats::model::split_name;

TEST_CASE("model::split_name") {
    struct Row {
        const char* full;
        const char* first;
        const char* last;
    };

    const Row rows[] = {
        {"Ada Lovelace", "Ada", "Lovelace"},
        {"Dr. Lena Vasquez", "Dr. Lena", "Vasquez"},
        {"  Grace \t Brewster   Hopper \n", "Grace Brewster", "Hopper"},
        {"Cher", "", "Cher"},
        {"", "", ""},
        {"   ", "", ""},
        {"José María García", "José María", "García"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.full);
        const auto parts = split_name(row.full);
        CHECK(parts.first == row.first);
        CHECK(parts.last == row.last);
    }
}

TEST_CASE("model::short_location and model::one_line_address") {
    Location location;
    CHECK(short_location(location).empty());
    CHECK(one_line_address(location).empty());

    location.city = "Austin";
    CHECK(short_location(location) == "Austin");
    location.country_code = "US";
    CHECK(short_location(location) == "Austin, US");
    location.region = "Texas";
    CHECK(short_location(location) == "Austin, Texas, US");

    location.address = "920 Lavaca Street\n  Suite 4 \n";
    location.postal_code = "78701";
    CHECK(one_line_address(location) == "920 Lavaca Street, Suite 4, Austin, Texas 78701, US");
    CHECK(short_location(location) == "Austin, Texas, US");

    Location postal_only;
    postal_only.postal_code = "10115";
    CHECK(one_line_address(postal_only) == "10115");
}

TEST_CASE("model::format_salary") {
    Salary salary;
    CHECK(format_salary(salary).empty());
    salary.currency = "USD";
    CHECK(format_salary(salary).empty());
    salary.min = 95000;
    salary.max = 120000;
    CHECK(format_salary(salary) == "95000-120000 USD");
    salary.period = "year";
    CHECK(format_salary(salary) == "95000-120000 USD per year");
    salary.max.reset();
    CHECK(format_salary(salary) == "from 95000 USD per year");
    salary.min.reset();
    salary.max = 52.5;
    salary.currency.clear();
    CHECK(format_salary(salary) == "up to 52.5 per year");
}

TEST_CASE("model::format_number") {
    CHECK(format_number(0) == "0");
    CHECK(format_number(120000) == "120000");
    CHECK(format_number(52.5) == "52.5");
    CHECK(format_number(-3) == "-3");
}
