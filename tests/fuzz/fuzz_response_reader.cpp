// libFuzzer harness: oai::ResponseReader fed a response body in chunks, each record's metadata
// tree normalized as the store does it. The last byte of the input chooses the split (so a
// fixture with one byte appended is a seed, see scripts/test-hardened): its low four bits
// bound the chunk length to 2^n bytes, its high four bits seed the lengths drawn below that.
//
// The reader's documented failures (XmlError, NotOaiPmhError) and any other std::runtime_error
// (the family of input errors) are expected; anything else escaping, such as an out_of_range
// from a bad index, is a bug and aborts the run.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "metadata/metadata.hpp"
#include "oai/reader.hpp"

namespace {

using namespace oaiharvest;

class NormalizingHandler : public oai::ResponseHandler {
public:
    void on_record(oai::Record& record) override {
        if (const auto* root = record.metadata_tree.root()) {
            const auto description = metadata::describe(*root);
            metadata::Envelope envelope;
            envelope.identifier = record.header.identifier;
            envelope.datestamp = record.header.datestamp;
            envelope.sets = record.header.set_specs;
            // Parsed back: it throws if the text is not valid JSON and UTF-8.
            static_cast<void>(nlohmann::json::parse(metadata::to_json_text(envelope, description)));
        }
    }
};

// xorshift32: a fixed sequence of chunk lengths for one input, so that a crash reproduces.
class ChunkLengths {
public:
    explicit ChunkLengths(std::uint8_t selector)
        : m_limit(std::size_t{1} << (selector & 0x0fU)), m_state(0x9e3779b9U ^ (selector >> 4U)) {}
    std::size_t next() {
        m_state ^= m_state << 13U;
        m_state ^= m_state >> 17U;
        m_state ^= m_state << 5U;
        return 1 + m_state % m_limit;
    }

private:
    std::size_t m_limit;
    std::uint32_t m_state;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider provider(data, size);
    ChunkLengths lengths(provider.ConsumeIntegral<std::uint8_t>());
    const std::string body = provider.ConsumeRemainingBytesAsString();

    NormalizingHandler handler;
    try {
        oai::ResponseReader reader(handler);
        std::string_view rest(body);
        while (!rest.empty()) {
            const auto length = std::min(lengths.next(), rest.size());
            reader.feed(rest.substr(0, length));
            rest.remove_prefix(length);
        }
        static_cast<void>(reader.finish());
    } catch (const std::runtime_error&) {
        // XmlError, NotOaiPmhError, or a cap on the input: the caller records a failed page.
    }
    return 0;
}
