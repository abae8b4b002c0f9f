#pragma once
// ResponseReader: reads an OAI-PMH response as its bytes arrive, with memory bounded by the
// largest single record, never by the page. It is fed chunks of any size (split anywhere, even
// inside a UTF-8 sequence) and calls a ResponseHandler in document order from inside feed().
//
// libxml2 is used with no DTD loading, no entity substitution and no network access.
// Not thread-safe: one reader per response, used by one thread. The handler is borrowed and
// must outlive the reader.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "oai/response.hpp"

namespace oaiharvest::oai {

class ResponseHandler {
public:
    virtual ~ResponseHandler() = default;
    virtual void on_response_date(const std::string& /*date*/) {}
    virtual void on_request(const RequestEcho& /*echo*/) {}
    virtual void on_error(const ProtocolError& /*error*/) {}
    virtual void on_identify(const RepositoryInfo& /*info*/) {}
    virtual void on_metadata_format(const MetadataFormat& /*format*/) {}
    virtual void on_set(const SetInfo& /*set*/) {}
    virtual void on_header(const RecordHeader& /*header*/) {}  // ListIdentifiers
    virtual void on_record(Record& /*record*/) {}              // ListRecords, GetRecord
    virtual void on_resumption_token(const ResumptionToken& /*token*/) {}
};

// The response is not well-formed XML. line and column are 1-based positions in the response.
class XmlError : public std::runtime_error {
public:
    XmlError(const std::string& message, int line, int column)
        : std::runtime_error(message), m_line(line), m_column(column) {}
    int line() const { return m_line; }
    int column() const { return m_column; }

private:
    int m_line;
    int m_column;
};

// The response passed a limit that cannot be met by leaving one record's metadata out: a header
// field, token or error text longer than the record cap, or elements nested deeper than
// k_max_document_depth anywhere. Asking again would give the same.
class LimitError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What one response may hold. A record whose metadata (and about) passes max_record_bytes or
// nests deeper than max_depth elements is handed over with its header, no metadata and
// Record::dropped saying which cap; the rest of the response is read as usual. Bytes are counted
// decoded (after any Content-Encoding and character repair), as the metadata would be stored.
struct ReaderLimits {
    std::uint64_t max_record_bytes = std::uint64_t{16} << 20;
    std::uint32_t max_depth = 256;  // elements, counting the child of <metadata> as 1
};

// Deeper nesting anywhere in a response throws LimitError: the parser's own stacks grow with
// depth, so this bounds its memory (a few MB) whatever the caps are set to.
inline constexpr std::uint32_t k_max_document_depth = 250'000;

// Well-formed XML, but not an OAI-PMH response (an HTML error page, say). The message names the
// root element found.
class NotOaiPmhError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What the whole response held, known after finish().
struct ResponseSummary {
    std::uint64_t bytes = 0;
    std::uint64_t records = 0;       // record or header elements
    std::uint64_t errors = 0;        // <error> elements
    bool list_element_seen = false;  // <ListRecords>, <ListIdentifiers>, ... present
    bool resumption_token_seen = false;
    // Bad input repaired on the way in, each counted once: a dropped control character, an
    // invalid UTF-8 sequence replaced by U+FFFD, a dropped reference to a character XML forbids
    // (&#1;), an undefined entity reference that had to be left out.
    std::uint64_t repaired_characters = 0;
};

class ResponseReader {
public:
    explicit ResponseReader(ResponseHandler& handler, const ReaderLimits& limits = {});
    ~ResponseReader();
    ResponseReader(const ResponseReader&) = delete;
    ResponseReader& operator=(const ResponseReader&) = delete;
    ResponseReader(ResponseReader&&) = delete;
    ResponseReader& operator=(ResponseReader&&) = delete;

    // Parses the next bytes. Throws XmlError, NotOaiPmhError or LimitError for bad input, and
    // rethrows any exception the handler threw (after the parser has stopped; it is never thrown
    // through libxml2). After a throw the reader is unusable.
    void feed(std::string_view bytes);

    // Ends the input. Throws XmlError if the document is incomplete (a truncated body) and
    // NotOaiPmhError if no OAI-PMH root element was seen.
    ResponseSummary finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace oaiharvest::oai
