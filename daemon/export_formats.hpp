#pragma once
// The export formats: one writer per format, fed records one at a time (export streams).

#include <memory>
#include <ostream>
#include <string>

#include "store/queries.hpp"

namespace oaiharvest::cli {

class ExportWriter {
public:
    virtual ~ExportWriter() = default;
    virtual void begin() {}
    virtual void write(const store::StoredRecord& record) = 0;
    virtual void end() {}
};

// "jsonl": the contract's record JSON, one per line.
// "csv": RFC 4180, a header row, lists joined by "; ".
// "xml": an OAI-PMH ListRecords document with each record's header and raw metadata as
//        harvested, and its endpoint and prefix in <about>: any OAI-PMH reader can ingest it.
std::unique_ptr<ExportWriter> make_export_writer(const std::string& format, std::ostream& out);

}  // namespace oaiharvest::cli
