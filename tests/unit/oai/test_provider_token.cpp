// The provider's resumption tokens (lib/oai/provider_token): the list's whole state in the
// token, and nothing but what encode_token made accepted.

#include <catch2/catch.hpp>

#include "oai/provider_token.hpp"

using namespace oaiharvest;

namespace {

oai::ListState sample_state() {
    oai::ListState s;
    s.verb = oai::Verb::list_identifiers;
    s.metadata_prefix = "oai_dc";
    s.set = "journal-uz:physics";
    s.from = util::parse_utc("2026-01-01T00:00:00Z");
    s.until = *util::parse_utc("2026-12-02T10:00:00Z");
    s.after_changed = *util::parse_utc("2026-11-30T08:15:00Z");
    s.after_id = 4'711;
    s.cursor = 200;
    s.complete_list_size = 1'000;
    return s;
}

}  // namespace

TEST_CASE("A token gives back the list's state it was made of", "[oai][provider]") {
    auto s = sample_state();
    auto token = oai::encode_token(s);
    auto back = oai::decode_token(token);
    REQUIRE(back);
    CHECK(back->verb == s.verb);
    CHECK(back->metadata_prefix == s.metadata_prefix);
    CHECK(back->set == s.set);
    CHECK(back->from == s.from);
    CHECK(back->until == s.until);
    CHECK(back->after_changed == s.after_changed);
    CHECK(back->after_id == s.after_id);
    CHECK(back->cursor == s.cursor);
    CHECK(back->complete_list_size == s.complete_list_size);
    // Harvesters percent-encode tokens; this one needs nothing but ',' encoded.
    CHECK(token.find_first_of(" &=#?%/") == std::string::npos);

    oai::ListState sets;
    sets.verb = oai::Verb::list_sets;
    sets.until = s.until;
    auto sets_back = oai::decode_token(oai::encode_token(sets));
    REQUIRE(sets_back);
    CHECK(sets_back->verb == oai::Verb::list_sets);
    CHECK_FALSE(sets_back->set);
    CHECK_FALSE(sets_back->from);
}

TEST_CASE("Anything encode_token did not make is no token", "[oai][provider]") {
    const auto token = oai::encode_token(sample_state());
    CHECK_FALSE(oai::decode_token(""));
    CHECK_FALSE(oai::decode_token("metadataPrefix%3Dmets%26offset%3D101"));  // EPrints' own
    CHECK_FALSE(oai::decode_token(token + ",1"));
    CHECK_FALSE(oai::decode_token(token.substr(0, token.rfind(','))));
    CHECK_FALSE(oai::decode_token("2" + token.substr(1)));  // another version
    // Each field damaged in turn.
    auto with_field = [&](std::size_t index, const std::string& value) {
        std::vector<std::string> fields;
        std::size_t start = 0;
        while (true) {
            auto comma = token.find(',', start);
            fields.push_back(token.substr(start, comma - start));
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
        fields.at(index) = value;
        std::string out = fields[0];
        for (std::size_t i = 1; i < fields.size(); ++i) {
            out += "," + fields[i];
        }
        return out;
    };
    CHECK(oai::decode_token(with_field(1, "I")));  // the helper itself keeps a token whole
    CHECK_FALSE(oai::decode_token(with_field(1, "G")));
    CHECK_FALSE(oai::decode_token(with_field(2, "")));  // a record list without its format
    CHECK_FALSE(oai::decode_token(with_field(2, "oai dc")));
    CHECK_FALSE(oai::decode_token(with_field(3, "a::b")));
    CHECK_FALSE(oai::decode_token(with_field(4, "yesterday")));
    CHECK_FALSE(oai::decode_token(with_field(4, "99999999999")));  // from after until
    CHECK_FALSE(oai::decode_token(with_field(5, "-5")));
    CHECK_FALSE(oai::decode_token(with_field(7, "12x")));
    CHECK_FALSE(oai::decode_token(with_field(7, "99999999999999999999")));  // past int64
    CHECK_FALSE(oai::decode_token(token + std::string(100'000, ',')));
    CHECK_FALSE(oai::decode_token(with_field(8, "1001")));  // past the list's size
    CHECK_FALSE(oai::decode_token(with_field(9, "")));
}

TEST_CASE("Spec text is what OAI-PMH allows in a metadataPrefix and a setSpec", "[oai][provider]") {
    for (const char* ok : {"oai_dc", "mets", "a.b-c_d!e~f*g'h(i)", "journal:physics:2026"}) {
        INFO(ok);
        CHECK(oai::is_spec_text(ok));
    }
    for (const char* bad : {"", ":", "a:", ":a", "a::b", "a b", "a,b", "a/b", "a%2Cb", "ўзбек"}) {
        INFO(bad);
        CHECK_FALSE(oai::is_spec_text(bad));
    }
}
