// libFuzzer harness: metadata::describe on one record's metadata XML (METS, MODS, oai_dc or
// anything else), then the record JSON written and parsed back. describe never throws for bad
// input (metadata.hpp), so any exception escaping here is a bug and aborts the run; so is JSON
// text that does not parse.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "metadata/metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace oaiharvest::metadata;
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    const Description description = describe(xml);
    Envelope envelope;
    envelope.identifier = "oai:fuzz:1";
    envelope.datestamp = "2024-01-01";
    envelope.metadata_prefix = "fuzz";
    static_cast<void>(nlohmann::json::parse(to_json_text(envelope, description)));
    return 0;
}
