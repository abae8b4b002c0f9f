#include "store/copy.hpp"

#include <array>

namespace oaiharvest::store {
namespace {

using enum ColumnType;

constexpr std::array<CopiedColumn, 14> k_endpoint_columns{{
    {"id", integer},
    {"name", text},
    {"base_url", text},
    {"repository_name", text},
    {"protocol_version", text},
    {"granularity", text},
    {"earliest_datestamp", text},
    {"deleted_record", text},
    {"admin_email", text},
    {"identified_at", text},
    {"created_at", text},
    {"next_due", text},
    {"last_error", text},
    {"last_error_at", text},
}};

constexpr std::array<CopiedColumn, 16> k_scope_columns{{
    {"id", integer},
    {"endpoint_id", integer},
    {"metadata_prefix", text},
    {"set_spec", text},
    {"next_from", text},
    {"last_complete_at", text},
    {"list_started", text},
    {"list_from", text},
    {"list_until", text},
    {"pending_token", text},
    {"pending_cursor", integer},
    {"complete_list_size", integer},
    {"list_pages", integer},
    {"list_records", integer},
    {"list_newest", text},
    {"last_reconciled_at", text},
}};

constexpr std::array<CopiedColumn, 23> k_run_columns{{
    {"id", integer},
    {"scope_id", integer},
    {"kind", text},
    {"started_at", text},
    {"finished_at", text},
    {"outcome", text},
    {"request_from", text},
    {"request_until", text},
    {"resumed", boolean},
    {"pages", integer},
    {"records_new", integer},
    {"records_updated", integer},
    {"records_unchanged", integer},
    {"records_deleted", integer},
    {"retries", integer},
    {"token_restarts", integer},
    {"repaired_characters", integer},
    {"unreadable_records", integer},
    {"records_stale", integer},
    {"records_kept_metadata", integer},
    {"records_gone", integer},
    {"sets_corrected", integer},
    {"error", text},
}};

}  // namespace

const char* table_name(MirrorTable table) {
    switch (table) {
        case MirrorTable::endpoints:
            return "endpoints";
        case MirrorTable::scopes:
            return "scopes";
        case MirrorTable::runs:
            return "harvest_runs";
    }
    return "";
}

std::span<const CopiedColumn> table_columns(MirrorTable table) {
    switch (table) {
        case MirrorTable::endpoints:
            return k_endpoint_columns;
        case MirrorTable::scopes:
            return k_scope_columns;
        case MirrorTable::runs:
            return k_run_columns;
    }
    return {};
}

}  // namespace oaiharvest::store
