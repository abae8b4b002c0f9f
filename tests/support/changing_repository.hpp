#pragma once
// ChangingRepository: an OAI-PMH 2.0 repository whose records a test sets exactly and changes
// between harvests and in the middle of a paged list, served through TestOaiServer's Script
// (no HTTP of its own). Afterwards expected_view() says what a mirror equal to the server must
// hold, for comparing with the SQLite mirror.
//
// Thread-safe: every member function may be called from the test's thread while the server's
// threads answer requests. The script returned by script() refers to this object, which must
// outlive every server that uses it. The on_list_page hook runs on a server thread, without the
// lock held, so it may call any member function.

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/oai_server.hpp"

namespace oaiharvest::testing {

struct ServedRecord {
    std::string identifier;  // "oai:x:1"
    // As served: "YYYY-MM-DDThh:mm:ssZ", or "YYYY-MM-DD" when the granularity is days.
    std::string datestamp;
    std::vector<std::string> sets;  // setSpecs
    bool deleted = false;           // served as a header with status="deleted"
    // Metadata prefix ("oai_dc", "mods") -> title. The record is offered (and listed, live or
    // deleted) in exactly these formats, but for a deleted record with no titles at all: a
    // tombstone in every format. A prefix other than oai_dc and mods is served as oai_dc
    // metadata.
    std::map<std::string, std::string> titles;
};

struct ServerBehaviour {
    // Identify's granularity YYYY-MM-DD; from/until finer than a day are then badArgument.
    bool day_granularity = false;
    std::string deleted_record = "persistent";  // Identify's deletedRecord
    std::size_t page_size = 3;
    // The list order. Pages are offsets into the selection recomputed at every request, so an
    // edit during a list shifts the pages, as on many real servers. Identifiers compare as
    // text ("oai:x:10" before "oai:x:2"); datestamp order breaks ties by identifier; copies of
    // one identifier keep the order they were added in.
    enum class Order { identifier, datestamp } order = Order::identifier;
    // A buggy server: from selects datestamp > from instead of >=.
    bool from_exclusive = false;
    // responseDate: nullopt -> the current UTC time; "" -> no responseDate element at all;
    // otherwise this exact text (e.g. "2026-01-01T03:00:00+05:00").
    std::optional<std::string> response_date;
    // false: like EPrints, a deleted header carries no setSpec, and a deleted record is then
    // not returned for a set-scoped request either.
    bool deleted_headers_carry_sets = true;
    // A live record lacking the asked format is listed (and returned by GetRecord) as a
    // header without <metadata> instead of being left out (or cannotDisseminateFormat).
    bool header_only_for_missing_format = false;
};

// What a mirror equal to the server holds for one identifier in one format.
struct Expected {
    enum class Status {
        live,
        deleted,
        // Taken away with remove() and not put back: the server no longer lists it. A mirror
        // should hold it as gone (exported like a deletion).
        gone,
    };
    Status status = Status::live;
    std::string datestamp;
    std::vector<std::string> sets;  // sorted; for a deleted or gone record, its last sets
    std::string title;              // for a deleted or gone record, its last title
};

class ChangingRepository {
public:
    // base_url is echoed in <request> and Identify's baseURL (a Script does not know the URL a
    // request came to): pass the server's base_url(), or set it later.
    explicit ChangingRepository(ServerBehaviour behaviour = {}, std::string base_url = {});

    // Adds the record, replacing every list entry with that identifier (duplicates too).
    void put(ServedRecord record);
    // One more list entry with the same identifier: a server listing a record twice.
    void add_duplicate(ServedRecord record);
    // The record vanishes without a trace (deletedRecord no or transient, a purged tombstone).
    void remove(const std::string& identifier);

    void set_behaviour(ServerBehaviour behaviour);
    ServerBehaviour behaviour() const;
    void set_base_url(std::string base_url);

    // Every list entry, in list order.
    std::vector<ServedRecord> records() const;

    // Called when a ListIdentifiers or ListRecords request for page `page_index` of its list
    // (0 for the first request, then 1, 2 ... for each resumptionToken of that list) arrives,
    // before it is answered: a test edits the data mid-list with it. A retried request calls it
    // again with the same index. Replaces any earlier hook; nullptr removes it.
    using ListPageHook = std::function<void(std::size_t page_index, ChangingRepository&)>;
    void on_list_page(ListPageHook hook);

    // For TestOaiServer::set_script: answers every request from this model (never nullopt).
    Script script();
    // The response body for one request's arguments (what script() sends, with HTTP 200).
    std::string answer(const sample::QueryArgs& args);

    // What a mirror of this server in that format (and, when sets are given, harvested per
    // set: records in one of them or a sub-set) must hold, by identifier. It is the server's
    // truth, not what a quirky server shows: a deleted record counts in its sets even when its
    // header carries none. A record not offered in the format is absent (even when the server
    // lists it header-only); an identifier listed twice counts once, as its entry with the
    // newest datestamp (the last added among equals).
    std::map<std::string, Expected> expected_view(const std::string& prefix,
                                                  const std::vector<std::string>& sets = {}) const;

private:
    std::vector<ServedRecord> ordered_locked() const;

    mutable std::mutex m_mutex;
    ServerBehaviour m_behaviour;
    std::string m_base_url;
    std::vector<ServedRecord> m_entries;         // in the order added
    std::map<std::string, ServedRecord> m_gone;  // removed and not put back since
    ListPageHook m_hook;
};

}  // namespace oaiharvest::testing
