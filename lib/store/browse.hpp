#pragma once
// Browsing the mirror a page at a time, for the web pages (lib/serve/web): its endpoints, an
// endpoint's records A-Z, by set, by year and by author, and the sets, years and authors to
// choose from. Same threading as Store: one thread at a time per Store.
//
// Every list is bounded: a call reads at most `limit` entries (plus one, to know whether more
// follow) and resumes after the last one a previous call returned (keyset paging), so that no
// page costs more memory with a bigger mirror, and a page far down a list costs no more than
// the first. A record is listed once, by its current copy (the newest of its formats, as show,
// search and export pick it), and only while that copy is live.
//
// What each query costs, and which index it uses, is said at its definition (browse.cpp).
// Lists and facets read as many rows as they show, but for two that no index can serve: a
// set's records and the list of sets read each record's setSpecs in its row.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace oaiharvest::store {

struct EndpointSummary {
    std::string name;
    std::string base_url;
    std::optional<std::string> repository_name;
    // Identifiers held, deleted records included: counted from an index alone, since telling
    // a deleted record apart reads its row (docs/serving.md).
    std::int64_t records = 0;
};

// Every endpoint of the mirror, by name.
std::vector<EndpointSummary> endpoint_summaries(Store& store);
// The named endpoint; nullopt when the mirror has none of that name.
std::optional<EndpointSummary> endpoint_summary(Store& store, const std::string& name);

// One record in a list: what its current copy says.
struct RecordSummary {
    std::int64_t key = 0;  // the copy's row id: where lists ordered by it resume
    std::string identifier;
    std::string datestamp;
    std::optional<std::string> title;
    std::optional<std::int64_t> year;
    std::vector<std::string> names;  // the first three, display form
};

struct RecordList {
    std::vector<RecordSummary> records;
    bool more = false;  // records follow the last one
};

// What a list of an endpoint's records holds, and its order.
struct RecordFilter {
    enum class By {
        all,     // every record, by identifier
        set,     // `value` among its setSpecs, by identifier
        year,    // `year` (nullopt: none known), in the order harvested (by key)
        author,  // a name whose family part is `value`, or whose display form is when it has
                 // no family part (authors() gives such keys), in the order harvested (by key)
    };
    By by = By::all;
    std::string value;
    std::optional<std::int64_t> year;
};

// Where a list resumes: after this identifier (By::all, By::set) or key (By::year,
// By::author); nullopt for its first page.
struct RecordCursor {
    std::optional<std::string> identifier;
    std::optional<std::int64_t> key;
};

// Up to `limit` records of the endpoint that pass the filter, after `after`. An endpoint not
// in the mirror has none.
RecordList browse_records(Store& store, const std::string& endpoint, const RecordFilter& filter,
                          const RecordCursor& after, int limit);

// A value to browse by, and how many records have it.
struct Facet {
    std::string value;  // a setSpec, a year in decimal, or an author's key
    // How many of the endpoint's records have it; nullopt where counting would read every
    // record (years).
    std::optional<std::int64_t> records;
};

struct FacetList {
    std::vector<Facet> facets;
    bool more = false;
};

// The endpoint's setSpecs, in byte order, after `after` (empty: from the first).
FacetList sets(Store& store, const std::string& endpoint, const std::string& after, int limit);
// The years its records were issued in, newest first, before `before` (nullopt: from the
// newest), without counts. Records without a known year are not among them: has_undated()
// says whether there are any.
FacetList years(Store& store, const std::string& endpoint, std::optional<std::int64_t> before,
                int limit);
bool has_undated(Store& store, const std::string& endpoint);
// Its authors' keys (a name's family part, else its display form), in byte order, after `after`.
FacetList authors(Store& store, const std::string& endpoint, const std::string& after, int limit);

}  // namespace oaiharvest::store
