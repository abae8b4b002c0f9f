#pragma once
// The records of an OAI-PMH response fixture, read as a harvest reads them: for tests that fill
// a mirror from the EPrints fixtures without a server.

#include <string>
#include <utility>
#include <vector>

#include "oai/reader.hpp"
#include "oai/response.hpp"
#include "support/fixtures.hpp"

namespace oaiharvest::test {

// Every record of the fixture, header and metadata.
inline std::vector<oai::Record> response_records(const std::string& fixture) {
    struct Collect : oai::ResponseHandler {
        std::vector<oai::Record> records;
        void on_record(oai::Record& record) override {
            oai::Record copy;
            copy.header = record.header;
            copy.metadata = record.metadata;
            records.push_back(std::move(copy));
        }
    } collect;
    oai::ResponseReader reader(collect);
    reader.feed(read_fixture(fixture));
    reader.finish();
    return std::move(collect.records);
}

}  // namespace oaiharvest::test
