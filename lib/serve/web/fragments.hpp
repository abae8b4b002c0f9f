#pragma once
// Pieces several web pages share: links to a record and to an endpoint's lists, a list of
// records, a pager, and the words for counts and sets. Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serve/web/html.hpp"
#include "store/browse.hpp"

namespace oaiharvest::serve::web {

// Records a list page shows at a time, and the values a facet page does.
inline constexpr int k_records_per_page = 20;
inline constexpr int k_facets_per_page = 100;

Link record_link(std::string_view endpoint, std::string_view identifier);
Link endpoint_link(std::string_view path, std::string_view endpoint);

// One entry of a list of records: the title linking to its page, then names, year, where it
// is from (when show_endpoint) and `note` (when not empty).
void record_item(Html& h, std::string_view endpoint, std::string_view identifier,
                 const std::optional<std::string>& title, const std::vector<std::string>& names,
                 std::optional<std::int64_t> year, bool show_endpoint, std::string_view note = {});

// <ol> of an endpoint's records, as browse_records() gave them.
void record_list(Html& h, std::string_view endpoint, const std::vector<store::RecordSummary>& list);

// "Next" (and "First", when not on the first page) links under a list; nothing when neither.
void pager(Html& h, const std::optional<Link>& first, const std::optional<Link>& next);

// "12,345".
std::string grouped(std::int64_t n);
// "1 record", "12,345 records".
std::string count_of(std::int64_t n, std::string_view one, std::string_view many);

// What a setSpec says, for people: EPrints writes each ':'-separated part of its setSpecs as
// the hex of its text ("74797065733D626F6F6B" is "types=book"), which is shown decoded when it
// decodes to printable UTF-8 of that "key=value" form; any other setSpec as it is.
std::string set_label(std::string_view spec);

// The key the author lists use for a name: its family part, else its display form; nullopt
// when it has neither.
std::optional<std::string> author_key(const std::optional<std::string>& family,
                                      const std::optional<std::string>& display);

}  // namespace oaiharvest::serve::web
