#include "oai/response.hpp"

#include <array>
#include <utility>

namespace oaiharvest::oai {

ErrorCode error_code_from(std::string_view code_text) {
    static constexpr std::array<std::pair<std::string_view, ErrorCode>, 8> k_codes{{
        {"badArgument", ErrorCode::bad_argument},
        {"badResumptionToken", ErrorCode::bad_resumption_token},
        {"badVerb", ErrorCode::bad_verb},
        {"cannotDisseminateFormat", ErrorCode::cannot_disseminate_format},
        {"idDoesNotExist", ErrorCode::id_does_not_exist},
        {"noRecordsMatch", ErrorCode::no_records_match},
        {"noMetadataFormats", ErrorCode::no_metadata_formats},
        {"noSetHierarchy", ErrorCode::no_set_hierarchy},
    }};
    for (const auto& [text, code] : k_codes) {
        if (text == code_text) {
            return code;
        }
    }
    return ErrorCode::unknown;
}

}  // namespace oaiharvest::oai
