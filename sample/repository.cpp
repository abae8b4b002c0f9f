#include "sample/repository.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "sample/detail/text.hpp"

namespace oaiharvest::sample {

const SampleRecord* Repository::find(std::string_view identifier) const {
    auto it = std::find_if(records.begin(), records.end(),
                           [&](const SampleRecord& r) { return r.identifier == identifier; });
    return it == records.end() ? nullptr : &*it;
}

SampleRecord* Repository::find(std::string_view identifier) {
    return const_cast<SampleRecord*>(std::as_const(*this).find(identifier));
}

std::string Repository::identifier_for(std::size_t number) const {
    return "oai:" + identity.repository_identifier + ":" + std::to_string(number);
}

const SampleDocument* Repository::find_document(std::string_view path) const {
    for (const auto& record : records) {
        if (record.deleted) {
            continue;
        }
        for (const auto& document : record.documents) {
            if (document.path == path) {
                return &document;
            }
        }
    }
    return nullptr;
}

std::string_view metadata_of(const SampleRecord& record, std::string_view prefix) {
    if (prefix == "mets") {
        return record.mets;
    }
    if (prefix == "mods") {
        return record.mods;
    }
    if (prefix == "oai_dc") {
        return record.oai_dc;
    }
    return {};
}

std::optional<std::size_t> eprint_number(std::string_view identifier) {
    auto digits = identifier.find_last_not_of("0123456789");
    std::string_view tail = identifier.substr(digits == std::string_view::npos ? 0 : digits + 1);
    std::size_t number = 0;
    auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), number);
    if (tail.empty() || ec != std::errc{} || end != tail.data() + tail.size()) {
        return std::nullopt;
    }
    return number;
}

std::vector<MetadataFormat> standard_formats(const std::vector<std::string>& prefixes) {
    static const MetadataFormat k_known[] = {
        {"mets", "http://www.loc.gov/standards/mets/mets.xsd", "http://www.loc.gov/METS/"},
        {"mods", "http://www.loc.gov/standards/mods/v3/mods-3-3.xsd", "http://www.loc.gov/mods/v3"},
        {"oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
         "http://www.openarchives.org/OAI/2.0/oai_dc/"},
    };
    std::vector<MetadataFormat> formats;
    for (const auto& prefix : prefixes) {
        for (const auto& known : k_known) {
            if (known.prefix == prefix) {
                formats.push_back(known);
            }
        }
    }
    return formats;
}

std::string encode_set_spec(std::string_view text) {
    return detail::hex_encode(text);
}

}  // namespace oaiharvest::sample
