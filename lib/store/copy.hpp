#pragma once
// What `oaiharvest copy` carries from one mirror to another, whichever backends they are on:
// every endpoint, scope and run row as it stands, and every record's row with its raw metadata,
// its record JSON and its state (first seen, last changed, gone), values decoded (SQLite packs
// them; PostgreSQL does not). Ids are kept, so that every reference stays as it was.
// The copy itself is daemon/cmd_copy.cpp; a Store reads and writes these rows (store.hpp).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "metadata/metadata.hpp"

namespace oaiharvest::store {

// The small tables, copied row by row with the columns below, which both backends have.
enum class MirrorTable { endpoints, scopes, runs };

enum class ColumnType { text, integer, boolean };
struct CopiedColumn {
    const char* name;
    ColumnType type;
};

// The table's name and columns; the first column is its id.
const char* table_name(MirrorTable table);
std::span<const CopiedColumn> table_columns(MirrorTable table);

// One row of a small table, by table_columns(): NULL as nullopt, an integer in decimal, a
// boolean as "0" or "1".
using CopiedRow = std::vector<std::optional<std::string>>;

struct CopiedRecord {
    std::int64_t id = 0;
    std::int64_t endpoint_id = 0;
    std::string identifier;
    std::string metadata_prefix;
    std::string datestamp;
    bool deleted = false;
    std::string sets;  // a JSON array
    std::optional<std::string> metadata;
    std::string content_hash;  // 16 bytes
    std::string first_seen;
    std::string last_seen;
    std::string last_changed;
    std::optional<std::string> gone_at;
    std::string json;  // the record JSON as show and export print it
    std::optional<std::int64_t> year;
    bool item_deleted = false;  // the catalogue's flag: the JSON is a deletion's
};

// A record to write, with its description (of its metadata, made by the caller: the store
// does not parse XML), from which a backend makes its catalogue and search words.
struct PastedRecord {
    CopiedRecord row;
    metadata::Description description;
};

}  // namespace oaiharvest::store
