#pragma once
// Readings of cleaned field values shared by the MODS, METS and Dublin Core readers: dates to
// ISO 8601, DOIs, URLs, identifiers told apart from citations, "Family, Given" names, and the
// list additions that keep a record free of duplicates. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/metadata.hpp"

namespace oaiharvest::metadata::detail {

// "YYYY", "YYYY-MM" or "YYYY-MM-DD" for the forms it can read (ISO 8601 and W3CDTF with or
// without a time, "YYYY/MM/DD", "YYYYMMDD", "DD.MM.YYYY", English month names); else the text as
// given. A time and its offset are dropped, not applied: "2026-01-01T23:00:00-05:00" is
// "2026-01-01".
std::string normalize_date(std::string_view text);

// The bare DOI ("10.1234/abc") in "10.1234/abc", "doi:10.1234/abc", "info:doi/10.1234/abc" or a
// doi.org URL; nullopt for anything else.
std::optional<std::string> doi_of(std::string_view text);

// True for an http, https or ftp URL without spaces.
bool is_url(std::string_view text);

// The type of an identifier that came without one: doi, uri (a URL), urn, handle, ark, oai,
// isbn, issn, else local. nullopt for a citation string: text with spaces that is none of those.
// The value is the DOI bare, or the ISBN/ISSN without its "ISBN " label.
std::optional<Identifier> classify_identifier(std::string_view text);

// Adds an identifier, unless the same type and value is already there. A DOI is stored bare, a
// type lower-case; a URL value goes to urls as well.
void add_identifier(Description& d, std::string type, std::string value);

// Adds value to list unless it is already there.
void add_unique(std::vector<std::string>& list, std::string value);

// A name written "Family, Given" (an affiliation after ';', as OJS writes it, split off); a name
// without a comma is kept whole as display.
Name split_name(std::string_view text);

// "family, given", or whichever part there is; nullopt when there is none.
std::optional<std::string> display_of(const std::optional<std::string>& family,
                                      const std::optional<std::string>& given);

// Trims ASCII spaces.
std::string_view trim(std::string_view text);

}  // namespace oaiharvest::metadata::detail
