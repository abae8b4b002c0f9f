#pragma once
// The OAI-PMH side of ChangingRepository: reading a request's arguments and answering it from a
// snapshot of the model. Pure functions (but for the current time in responseDate);
// thread-safe. Internal to tests/support.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/changing_repository.hpp"

namespace oaiharvest::testing::changing {

// Whether the record is listed for that prefix. A deleted record with no titles is a tombstone
// in every format: the convenient way to write one in a test.
bool offers(const ServedRecord& record, const std::string& prefix);
// Whether one of the sets is `wanted` or a sub-set of it ("A:B" is in "A").
bool in_set(const std::vector<std::string>& sets, const std::string& wanted);
// The newest entry of each identifier (the last added among equal datestamps); the pointers
// point into `entries`.
std::map<std::string, const ServedRecord*> newest_entries(const std::vector<ServedRecord>& entries);

// What a list request asks for; a resumptionToken holds all of it.
struct ListArgs {
    std::string prefix;
    std::optional<std::string> from;
    std::optional<std::string> until;
    std::optional<std::string> set;
    std::size_t offset = 0;
    std::size_t page = 0;  // 0 for the first request of the list, then one more per token
};

struct OaiError {
    std::string code;
    std::string message;
};

struct Request {
    std::string verb;
    std::map<std::string, std::string> args;  // without verb
    std::optional<ListArgs> list;             // for ListIdentifiers and ListRecords
    std::optional<OaiError> error;            // badVerb, badArgument or badResumptionToken
};

// Checks the verb, the arguments it allows and requires, a resumptionToken and from/until.
Request read_request(const sample::QueryArgs& query, bool day_granularity);

struct Snapshot {
    ServerBehaviour behaviour;
    std::string base_url;
    std::vector<ServedRecord> ordered;  // every entry, in list order
};

// The XML (changing_repository_xml.cpp). A header shows its setSpecs unless it is deleted and
// the behaviour says deleted headers carry none.
void append_header(std::string& out, const ServedRecord& record, const ServerBehaviour& b);
// <record>: the header, and the metadata when the record is live and has the format.
void append_record(std::string& out, const ServedRecord& record, const std::string& prefix,
                   const ServerBehaviour& b);
// The whole document around `content`. echo: the request's arguments, or nullopt for badVerb
// and badArgument, whose <request> carries none (OAI-PMH 2.0 section 3.2).
std::string envelope(const ServerBehaviour& b, const std::string& base_url,
                     const std::optional<std::map<std::string, std::string>>& echo,
                     const std::string& content);
std::string error_element(const OaiError& error);
std::string format_element(const std::string& prefix);

// The whole response document for the request.
std::string respond(const Request& request, const Snapshot& snapshot);

}  // namespace oaiharvest::testing::changing
