// `oaiharvest copy --from A --to B`: a whole mirror into a new, empty one, on either backend
// (a SQLite file to PostgreSQL, and back): every endpoint, scope and run, every record's raw
// metadata, JSON and state, ids kept. Both harvest locks are held throughout, so neither side
// changes meanwhile; the copy is compared with its source at the end.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>

#include "cli.hpp"
#include "context.hpp"
#include "harvest/normalize.hpp"
#include "store/lock.hpp"
#include "store/store.hpp"
#include "upgrade_progress.hpp"
#include "util/hash.hpp"

namespace oaiharvest::cli {
namespace {

struct CopyOptions {
    std::string from;
    std::string to;
    std::size_t batch = 1000;
};

// Records per transaction: large enough that commits cost little, small enough that a copy
// stopped half-way has little to redo.
constexpr std::size_t k_default_batch = 1000;

bool same_database(const std::string& a, const std::string& b) {
    if (a == b) {
        return true;
    }
    std::error_code error;
    return !store::is_postgres_url(a) && !store::is_postgres_url(b) &&
           std::filesystem::equivalent(a, b, error);
}

// The description the destination's catalogue and search words are made of: of the metadata
// kept, also for a deleted record, which keeps its names and subjects (page_write.cpp).
metadata::Description describe(const store::CopiedRecord& record, const std::string& endpoint) {
    if (!record.metadata || record.metadata->empty()) {
        return {};
    }
    store::RecordCopy copy;
    copy.identifier = record.identifier;
    copy.datestamp = record.datestamp;
    copy.metadata = *record.metadata;
    harvest::normalize(copy, endpoint, record.metadata_prefix);
    return std::move(copy.normalized->description);
}

// What both sides are compared by: every record row's fields, in id order.
struct MirrorDigest {
    std::int64_t records = 0;
    util::ContentHash hash{};
    bool operator==(const MirrorDigest&) const = default;
};

MirrorDigest digest_of(store::Store& store) {
    util::ContentHasher hasher;
    MirrorDigest digest;
    store.for_each_copied_record([&](const store::CopiedRecord& r) {
        ++digest.records;
        hasher.add(std::to_string(r.id))
            .add(std::to_string(r.endpoint_id))
            .add(r.identifier)
            .add(r.metadata_prefix)
            .add(r.datestamp)
            .add(r.deleted ? "1" : "0")
            .add(r.sets)
            .add(r.metadata ? "m" + *r.metadata : "-")
            .add(r.content_hash)
            .add(r.first_seen)
            .add(r.last_seen)
            .add(r.last_changed)
            .add(r.gone_at.value_or("-"))
            .add(r.json)
            .add(r.item_deleted ? "1" : "0");
    });
    digest.hash = hasher.digest();
    return digest;
}

int run_copy(const CopyOptions& o) {
    if (same_database(o.from, o.to)) {
        throw UsageError("--from and --to name the same database: " + store::database_name(o.from));
    }
    const auto from_name = store::database_name(o.from);
    const auto to_name = store::database_name(o.to);
    auto source = store::Store::open_read_only(o.from);
    auto from_lock = store::HarvestLock::acquire(o.from);
    if (!from_lock) {
        return report_locked(from_lock.error(), o.from);
    }
    auto to_lock = store::HarvestLock::acquire(o.to);
    if (!to_lock) {
        return report_locked(to_lock.error(), o.to);
    }
    auto target = store::Store::open(o.to, upgrade_progress(o.to));
    if (auto held = target->record_rows();
        held > 0 || !target->copied_rows(store::MirrorTable::endpoints).empty()) {
        throw UsageError(to_name + " already holds a mirror (" + std::to_string(held) +
                         " records): copy into a new, empty database");
    }
    const auto started = std::chrono::steady_clock::now();
    std::map<std::int64_t, std::string> endpoint_names;
    std::size_t endpoints = 0;
    std::size_t scopes = 0;
    std::size_t runs = 0;
    for (auto table :
         {store::MirrorTable::endpoints, store::MirrorTable::scopes, store::MirrorTable::runs}) {
        auto rows = source->copied_rows(table);
        switch (table) {
            case store::MirrorTable::endpoints:
                for (const auto& row : rows) {
                    endpoint_names[std::stoll(row.at(0).value_or("0"))] = row.at(1).value_or("");
                }
                endpoints = rows.size();
                break;
            case store::MirrorTable::scopes:
                scopes = rows.size();
                break;
            case store::MirrorTable::runs:
                runs = rows.size();
                break;
        }
        target->paste_rows(table, rows);
    }
    const std::int64_t total = source->record_rows();
    spdlog::info("copying {} records, {} endpoints, {} scopes, {} runs from {} to {}", total,
                 endpoints, scopes, runs, from_name, to_name);
    std::vector<store::PastedRecord> batch;
    batch.reserve(o.batch);
    std::int64_t copied = 0;
    std::int64_t next_report = total / 10;
    auto flush = [&] {
        target->paste_records(batch);
        copied += static_cast<std::int64_t>(batch.size());
        batch.clear();
        if (copied >= next_report && copied < total) {
            spdlog::info("copied {} of {} records", copied, total);
            next_report = copied + total / 10;
        }
    };
    source->for_each_copied_record([&](const store::CopiedRecord& record) {
        batch.push_back({record, describe(record, endpoint_names[record.endpoint_id])});
        if (batch.size() >= o.batch) {
            flush();
        }
    });
    flush();
    target->finish_paste();

    spdlog::info("comparing the copy with its source");
    const auto want = digest_of(*source);
    const auto got = digest_of(*target);
    if (!(want == got)) {
        spdlog::error("the copy in {} differs from its source {} ({} records there, {} here)",
                      to_name, from_name, want.records, got.records);
        return k_work_failed;
    }
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    spdlog::info("copied {} records from {} to {} in {:.1f} s; both sides are equal", copied,
                 from_name, to_name, seconds);
    return k_ok;
}

}  // namespace

Runner add_copy(CLI::App& app, const GlobalOptions& /*global*/) {
    auto options = std::make_shared<CopyOptions>();
    auto* cmd = app.add_subcommand(
        "copy", "copy a whole mirror into a new, empty one: SQLite to PostgreSQL, or back");
    cmd->add_option("--from", options->from, "the mirror to copy: a SQLite file or postgresql://")
        ->required();
    cmd->add_option("--to", options->to, "the new mirror: a SQLite file or postgresql://")
        ->required();
    cmd->add_option("--batch", options->batch, "records per transaction")
        ->default_val(k_default_batch)
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
    return [options] { return run_copy(*options); };
}

}  // namespace oaiharvest::cli
