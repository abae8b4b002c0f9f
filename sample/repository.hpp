#pragma once
// The in-memory repository the sample OAI-PMH endpoint serves: records with their metadata
// already rendered as XML, the Identify facts, the formats and the sets. A plain value; not
// synchronized (the test server swaps whole repositories instead of mutating a served one).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oaiharvest::sample {

// A file a record lists, as the endpoint serves it at its URL's path.
struct SampleDocument {
    std::string path;      // "/id/eprint/1/1/article.txt"
    std::string mimetype;  // "text/plain", "application/pdf"
    std::string body;
    std::string etag;           // unquoted, as EPrints 3.4 sends it
    std::string last_modified;  // an HTTP date
};

struct SampleRecord {
    std::string identifier;  // "oai:sample.oaiharvest.local:17": the trailing number orders lists
    std::string datestamp;   // "YYYY-MM-DDThh:mm:ssZ"
    std::vector<std::string> sets;  // setSpecs; also used for set membership when deleted
    bool deleted = false;           // served as a header with status="deleted", no metadata
    // The element that goes inside <metadata>, exactly as served; empty: not available in that
    // format. Like EPrints, generated records rely on xmlns:xsi declared on the OAI-PMH root.
    std::string mets;
    std::string mods;
    std::string oai_dc;
    // The files its metadata lists, when the repository serves them (GenerateOptions::documents).
    std::vector<SampleDocument> documents;
};

struct MetadataFormat {
    std::string prefix;  // "mets", "mods" or "oai_dc": the SampleRecord member it serves
    std::string schema;
    std::string metadata_namespace;
};

struct SampleSet {
    std::string spec;  // hex, like EPrints: "74797065733D61727469636C65" is "types=article"
    std::string name;
};

struct RepositoryIdentity {
    std::string repository_name = "oaiharvest Sample Repository";
    std::string repository_identifier = "sample.oaiharvest.local";  // oai:<this>:<number>
    std::string admin_email = "admin@sample.oaiharvest.local";
    std::string earliest_datestamp;  // empty: the earliest live record's datestamp
    std::string deleted_record = "persistent";
};

struct Repository {
    RepositoryIdentity identity;
    std::vector<MetadataFormat> formats;
    std::vector<SampleSet> sets;
    std::vector<SampleRecord> records;  // any order; lists are served in identifier-number order

    // The record with that identifier, or nullptr.
    const SampleRecord* find(std::string_view identifier) const;
    SampleRecord* find(std::string_view identifier);

    // "oai:<repository_identifier>:<number>".
    std::string identifier_for(std::size_t number) const;

    // The document served at that URL path (of a record not deleted), or nullptr.
    const SampleDocument* find_document(std::string_view path) const;
};

// The record's metadata in the format with that prefix; empty when it has none.
std::string_view metadata_of(const SampleRecord& record, std::string_view prefix);

// The number at the end of an identifier ("oai:x:17" -> 17), or nullopt.
std::optional<std::size_t> eprint_number(std::string_view identifier);

// The formats EPrints 3.4 describes for these prefixes, in the order given.
std::vector<MetadataFormat> standard_formats(const std::vector<std::string>& prefixes);

// EPrints' set encoding: "types=article" -> "74797065733D61727469636C65".
std::string encode_set_spec(std::string_view text);

}  // namespace oaiharvest::sample
