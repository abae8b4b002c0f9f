// zstd frames and per-scope dictionaries (lib/store/packing).

#include <catch2/catch.hpp>
#include <memory>

#include "store/packing.hpp"

using namespace oaiharvest::store::detail;

namespace {

std::span<const std::uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// A METS-like record: what every record repeats, and a part of its own.
std::string record(int n) {
    std::string own = "Article " + std::to_string(n * 7919) + " on " + std::to_string(n % 97) +
                      " soils of the Fergana valley, " + std::to_string(n * n) + " samples";
    return R"(<mets:mets xmlns:mets="http://www.loc.gov/METS/" OBJID="eprint_)" +
           std::to_string(n) +
           R"("><mets:dmdSec ID="DMD_eprint_1_mods"><mets:mdWrap MDTYPE="MODS"><mets:xmlData>)" +
           "<mods:titleInfo><mods:title>" + own +
           "</mods:title></mods:titleInfo><mods:accessCondition>Creative Commons "
           "Attribution 4.0 International</mods:accessCondition></mets:xmlData></mets:mdWrap>"
           "</mets:dmdSec></mets:mets>";
}

// A dictionary trained on 256 such records.
std::unique_ptr<Dictionary> trained_dictionary() {
    TrainingSamples samples;
    for (int i = 0; i < 256; ++i) {
        samples.add(record(i));
    }
    std::uint32_t id = 0;
    auto trained = train_dictionary(samples, id);
    REQUIRE(trained);
    return std::make_unique<Dictionary>(id, std::move(*trained));
}

}  // namespace

TEST_CASE("A value packs and unpacks byte for byte, with and without a dictionary",
          "[store][packing]") {
    auto dictionary = trained_dictionary();
    const auto id = dictionary->id();
    CHECK(id >= (1U << 15));

    const std::string value = record(1'000);
    auto plain_frame = pack(value, nullptr);
    auto dict_frame = pack(value, dictionary.get());
    CHECK(is_packed(bytes_of(plain_frame)));
    CHECK(dictionary_id(bytes_of(plain_frame)) == 0);
    CHECK(dictionary_id(bytes_of(dict_frame)) == id);
    CHECK(unpack(bytes_of(plain_frame), nullptr) == value);
    CHECK(unpack(bytes_of(dict_frame), dictionary.get()) == value);
    // What the dictionary holds is not stored again.
    CHECK(dict_frame.size() * 2 < plain_frame.size());
}

TEST_CASE("A value far larger than any before packs whole, and small ones after it too",
          "[store][packing]") {
    std::string huge;
    for (int i = 0; huge.size() < (3U << 20); ++i) {
        huge += record(i);
    }
    const std::string small = record(7);
    CHECK(unpack(bytes_of(pack(huge, nullptr)), nullptr) == huge);
    CHECK(unpack(bytes_of(pack(small, nullptr)), nullptr) == small);
    // A frame holds no more than its bytes (it is kept for a whole page), not zstd's bound.
    CHECK(pack(small, nullptr).capacity() < small.size());
}

TEST_CASE("A damaged frame or one unpacked without its dictionary is an error, not text",
          "[store][packing]") {
    auto frame = pack(record(1), nullptr);
    frame.resize(frame.size() - 3);
    CHECK_THROWS_WITH(unpack(bytes_of(frame), nullptr), Catch::Contains("zstd"));

    auto dictionary = trained_dictionary();
    auto with_dictionary = pack(record(3), dictionary.get());
    CHECK_THROWS_WITH(unpack(bytes_of(with_dictionary), nullptr), Catch::Contains("zstd"));
}

TEST_CASE("Too little to learn from trains no dictionary", "[store][packing]") {
    TrainingSamples samples;
    samples.add("a");
    samples.add("b");
    std::uint32_t id = 0;
    CHECK_FALSE(train_dictionary(samples, id));
    CHECK_FALSE(train_dictionary(TrainingSamples{}, id));
}

TEST_CASE("A scope's first values are packed alone, then with the dictionary trained on them",
          "[store][packing]") {
    ScopePacker packer(nullptr, nullptr);
    std::vector<std::shared_ptr<const Dictionary>> used;
    for (std::size_t i = 0; i + 1 < ScopePacker::k_training_samples; ++i) {
        auto frame = packer.pack(PackedKind::metadata, record(static_cast<int>(i)), used);
        REQUIRE(dictionary_id(bytes_of(frame)) == 0);
    }
    CHECK(used.empty());
    // The value that completes the samples is the first packed with the dictionary.
    auto first = packer.pack(PackedKind::metadata, record(9'999), used);
    REQUIRE(used.size() == 1);
    const auto& dictionary = *used[0];
    CHECK(dictionary.kind() == PackedKind::metadata);
    CHECK(dictionary.samples() == static_cast<std::int64_t>(ScopePacker::k_training_samples));
    CHECK(dictionary_id(bytes_of(first)) == dictionary.id());
    CHECK(unpack(bytes_of(first), &dictionary) == record(9'999));
    // The JSON of the same scope has samples of its own.
    CHECK(dictionary_id(bytes_of(packer.pack(PackedKind::json, "{}", used))) == 0);
    CHECK(used.size() == 1);
}
