#pragma once

// Text helpers shared by the record decoder and the Greenhouse/Lever mappings.

#include <pjats/model/candidate.hpp>

#include <string>
#include <string_view>

namespace pjats::model {

struct NameParts {
    std::string first;
    std::string last;
};

// Splits a full name on whitespace: the last word is the last name, the other words
// (joined by single spaces) the first name. One word gives an empty first name.
NameParts split_name(std::string_view full_name);

// "City, Region, CC" from the parts that are present.
std::string short_location(const Location& location);

// The whole address on one line: "street, city, region postal code, CC"; line breaks in
// the street address become ", ".
std::string one_line_address(const Location& location);

// "120000-150000 USD per year", "from 50 EUR per hour", "up to 90000"; empty when the
// salary has neither a minimum nor a maximum.
std::string format_salary(const Salary& salary);

// A number without a trailing ".0" for integral values ("120000", "52.5").
std::string format_number(double number);

} // namespace pjats::model
