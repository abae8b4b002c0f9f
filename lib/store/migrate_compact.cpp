#include "store/migrate_compact.hpp"

#include <vector>

#include "store/packing.hpp"
#include "util/time.hpp"

namespace oaiharvest::store::detail {
namespace {

constexpr std::int64_t k_chunk = 2000;

struct Scope {
    std::int64_t endpoint = 0;
    std::string prefix;
};

// Trains the scope's dictionary of one kind on up to ScopePacker::k_training_samples of its
// values and stores it; 0 when the scope has too few values to train on.
std::int64_t train(sql::Database& db, const Scope& scope, PackedKind kind) {
    const char* values =
        kind == PackedKind::metadata
            ? "SELECT metadata FROM records WHERE endpoint_id = ?1 AND metadata_prefix = ?2 "
              "AND metadata IS NOT NULL ORDER BY id LIMIT ?3"
            : "SELECT i.json FROM items_json i JOIN records r ON r.id = i.record_id "
              "WHERE r.endpoint_id = ?1 AND r.metadata_prefix = ?2 ORDER BY r.id LIMIT ?3";
    sql::Statement select(db, values);
    select.bind(1, scope.endpoint)
        .bind(2, scope.prefix)
        .bind(3, static_cast<std::int64_t>(ScopePacker::k_training_samples));
    TrainingSamples samples;
    while (select.step()) {
        samples.add(select.text(0));
    }
    if (static_cast<std::int64_t>(samples.count()) < k_min_training_records) {
        return 0;
    }
    std::uint32_t id = 0;
    auto bytes = train_dictionary(samples, id);
    if (!bytes) {
        return 0;
    }
    sql::Statement insert(db, k_save_dictionary);
    insert.bind(1, std::int64_t{id})
        .bind(2, scope.endpoint)
        .bind(3, scope.prefix)
        .bind(4, kind_name(kind))
        .bind(5, static_cast<std::int64_t>(samples.count()))
        .bind(6, util::format_utc_seconds(util::now_utc()))
        .bind_blob(7,
                   std::span(reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()))
        .run();
    return id;
}

}  // namespace

void pack_existing(sql::Database& db, const UpgradeObserver& observer) {
    std::int64_t total = 0;
    {
        sql::Statement count(db, "SELECT count(*) FROM records");
        count.step();
        total = count.int64(0);
    }
    auto report = [&](std::string_view step, std::int64_t done) {
        if (observer) {
            observer(UpgradeProgress{std::string(step), done, total});
        }
    };
    std::vector<Scope> scopes;
    {
        sql::Statement select(db,
                              "SELECT DISTINCT endpoint_id, metadata_prefix FROM records "
                              "ORDER BY endpoint_id, metadata_prefix");
        while (select.step()) {
            scopes.push_back({select.int64(0), std::string(select.text(1))});
        }
    }
    sql::Statement ids(db,
                       "SELECT id FROM records WHERE endpoint_id = ?1 AND metadata_prefix = ?2 "
                       "ORDER BY id");
    sql::Statement pack_metadata(db,
                                 "UPDATE records SET metadata = oaiharvest_pack(metadata, ?3) "
                                 "WHERE id BETWEEN ?1 AND ?2 AND endpoint_id = ?4 AND "
                                 "metadata_prefix = ?5");
    sql::Statement pack_json(db,
                             "UPDATE items_json SET json = oaiharvest_pack(json, ?3) WHERE "
                             "record_id IN (SELECT id FROM records WHERE id BETWEEN ?1 AND ?2 "
                             "AND endpoint_id = ?4 AND metadata_prefix = ?5)");
    std::int64_t done = 0;
    report("packing records", done);
    for (const auto& scope : scopes) {
        const std::int64_t metadata_dictionary = train(db, scope, PackedKind::metadata);
        const std::int64_t json_dictionary = train(db, scope, PackedKind::json);
        std::vector<std::int64_t> scope_ids;
        ids.bind(1, scope.endpoint).bind(2, scope.prefix);
        while (ids.step()) {
            scope_ids.push_back(ids.int64(0));
        }
        ids.reset();
        for (std::size_t i = 0; i < scope_ids.size(); i += k_chunk) {
            const std::size_t last = std::min(scope_ids.size(), i + k_chunk) - 1;
            for (auto* stmt : {&pack_metadata, &pack_json}) {
                stmt->bind(1, scope_ids[i])
                    .bind(2, scope_ids[last])
                    .bind(3, stmt == &pack_metadata ? metadata_dictionary : json_dictionary)
                    .bind(4, scope.endpoint)
                    .bind(5, scope.prefix)
                    .run();
            }
            done += static_cast<std::int64_t>(last - i + 1);
            report("packing records", done);
        }
    }
    // The index is filled again from what the records hold now; the old one held its own copy
    // of the text (schema/009_compact.sql dropped it).
    sql::Statement index(db,
                         "INSERT INTO search (rowid, title, subtitle, abstract, names, subjects) "
                         "SELECT record_id, title, subtitle, abstract, names, subjects FROM "
                         "search_source WHERE record_id BETWEEN ?1 AND ?2");
    std::int64_t last_id = 0;
    {
        sql::Statement max(db, "SELECT coalesce(max(id), 0) FROM records");
        max.step();
        last_id = max.int64(0);
    }
    report("indexing", 0);
    for (std::int64_t from = 1; from <= last_id; from += k_chunk * 2) {
        index.bind(1, from).bind(2, from + k_chunk * 2 - 1).run();
        report("indexing", std::min(total, (from + k_chunk * 2 - 1) * total / last_id));
    }
}

}  // namespace oaiharvest::store::detail
