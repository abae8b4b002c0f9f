#include "store/deleted_json.hpp"

#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "util/safe_text.hpp"
#include "util/time.hpp"

namespace oaiharvest::store {
namespace {

constexpr std::string_view k_note_start = "the header's datestamp \"";
constexpr std::string_view k_note_end = "\" is not a date";

// A parse_error that only says the header's datestamp was not a date: not describe's, so it
// goes with the datestamp.
bool is_datestamp_note(const std::string& error) {
    return error.starts_with(k_note_start) && error.ends_with(k_note_end);
}

}  // namespace

std::optional<std::string> datestamp_error(const std::string& datestamp) {
    if (util::parse_utc(datestamp)) {
        return std::nullopt;
    }
    return std::string(k_note_start) + util::printable(datestamp) + std::string(k_note_end);
}

namespace detail {

std::optional<DeletedJson> deleted_json(std::string_view stored, const metadata::Envelope& envelope,
                                        const std::string& datestamp) {
    auto json = nlohmann::ordered_json::parse(stored, nullptr, false);
    // Every key is present in a record JSON (metadata::to_json_text), so assigning keeps the
    // contract's key order.
    for (const char* key : {"datestamp", "deleted", "sets", "parse_error"}) {
        if (!json.is_object() || !json.contains(key)) {
            return std::nullopt;
        }
    }
    json["datestamp"] = envelope.datestamp.empty() ? nlohmann::ordered_json(nullptr)
                                                   : nlohmann::ordered_json(envelope.datestamp);
    json["deleted"] = envelope.deleted;
    json["sets"] = envelope.sets;
    auto& error = json["parse_error"];
    if (!error.is_string() || is_datestamp_note(error.get<std::string>())) {
        auto note = datestamp_error(datestamp);
        error = note ? nlohmann::ordered_json(*note) : nlohmann::ordered_json(nullptr);
    }
    DeletedJson out;
    out.unreadable = error.is_string();
    // to_json_text writes U+FFFD for a byte that is not UTF-8; so does `replace`.
    out.json = json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return out;
}

}  // namespace detail
}  // namespace oaiharvest::store
