#pragma once
// The bodies the sample endpoint serves for the files its records list (issue 15): the seed
// article for record 1, a minimal PDF for record k_pdf_record, generated text for the others.
// Pure functions; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "sample/repository.hpp"

namespace oaiharvest::sample::detail {

// A document at `url` (under `site_url`), last modified at `datestamp` (UTC
// "YYYY-MM-DDThh:mm:ssZ"), with an ETag made from its body.
SampleDocument make_document(std::string_view url, std::string_view site_url, std::string mimetype,
                             std::string body, std::string_view datestamp);

// `size` bytes of ASCII text naming the eprint: the body of a generated record's file.
std::string generated_fulltext(std::size_t number, std::size_t size);

// "2025-01-06T08:00:00Z" -> "Mon, 06 Jan 2025 08:00:00 GMT" (RFC 9110's IMF-fixdate).
std::string http_date(std::string_view utc_datestamp);

}  // namespace oaiharvest::sample::detail
