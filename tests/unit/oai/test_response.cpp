#include <catch2/catch.hpp>

#include "oai/response.hpp"

using namespace oaiharvest::oai;

TEST_CASE("error_code_from knows the eight protocol codes", "[oai][response]") {
    CHECK(error_code_from("badArgument") == ErrorCode::bad_argument);
    CHECK(error_code_from("badResumptionToken") == ErrorCode::bad_resumption_token);
    CHECK(error_code_from("badVerb") == ErrorCode::bad_verb);
    CHECK(error_code_from("cannotDisseminateFormat") == ErrorCode::cannot_disseminate_format);
    CHECK(error_code_from("idDoesNotExist") == ErrorCode::id_does_not_exist);
    CHECK(error_code_from("noRecordsMatch") == ErrorCode::no_records_match);
    CHECK(error_code_from("noMetadataFormats") == ErrorCode::no_metadata_formats);
    CHECK(error_code_from("noSetHierarchy") == ErrorCode::no_set_hierarchy);
}

TEST_CASE("error_code_from: anything else is unknown", "[oai][response]") {
    CHECK(error_code_from("") == ErrorCode::unknown);
    CHECK(error_code_from("badargument") == ErrorCode::unknown);
    CHECK(error_code_from("serviceUnavailable") == ErrorCode::unknown);
    CHECK(error_code_from("badArgument ") == ErrorCode::unknown);
}
