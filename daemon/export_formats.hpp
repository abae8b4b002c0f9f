#pragma once
// The export formats: one writer per format, fed records one at a time (export streams).

#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "store/queries.hpp"

namespace oaiharvest::cli {

class ExportWriter {
public:
    virtual ~ExportWriter() = default;
    virtual void begin() {}
    // documents: the record's documents as document_json.hpp gives them (an array, empty for
    // a record without any).
    virtual void write(const store::StoredRecord& record,
                       const nlohmann::ordered_json& documents) = 0;
    virtual void end() {}
};

// "jsonl": the contract's record JSON, one per line; a record with documents ends with their
//          "documents" array, as `show` gives it.
// "csv": RFC 4180, a header row, lists joined by "; "; the last column holds the paths of the
//        record's stored documents.
// "xml": an OAI-PMH ListRecords document with each record's header and raw metadata as
//        harvested, and its endpoint, prefix and documents in <about>: any OAI-PMH reader can
//        ingest it.
std::unique_ptr<ExportWriter> make_export_writer(const std::string& format, std::ostream& out);

}  // namespace oaiharvest::cli
