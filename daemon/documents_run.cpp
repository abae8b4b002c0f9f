#include "documents_run.hpp"

#include <spdlog/spdlog.h>

#include "documents/documents.hpp"
#include "documents/layout.hpp"
#include "fulltext/extract.hpp"
#include "store/document_text.hpp"

namespace oaiharvest::cli {
namespace {

fulltext::ExtractLimits extract_limits(const config::TextSettings& text) {
    fulltext::ExtractLimits limits;
    limits.max_text_bytes = text.max_text;
    limits.max_input_bytes = text.max_input;
    limits.memory_bytes = text.worker_memory_limit;
    // RLIMIT_CPU counts whole seconds: a part of one is rounded up, never to "no limit".
    limits.cpu = std::chrono::ceil<std::chrono::seconds>(text.worker_cpu_limit);
    limits.timeout = text.worker_timeout;
    return limits;
}

// Each body stored gets its text read and indexed at once (lib/fulltext), by a worker process
// of this same binary for a PDF, so that a hostile file costs only that document.
documents::OnStored text_extraction_hook(store::Store& store, const std::string& db_path,
                                         const fulltext::ExtractLimits& limits) {
    return [&store, db_path, limits](const std::string& sha256, const std::string& mimetype) {
        const auto text = fulltext::extract_text(documents::body_path(db_path, sha256), mimetype,
                                                 limits, "/proc/self/exe");
        store::put_text(store, sha256, text);
    };
}

}  // namespace

void run_documents(const config::EndpointConfig& endpoint, const config::TextSettings& text,
                   const http::FetchOptions& fetching, const GateDocuments& gate,
                   store::Store& store, const std::string& db_path, util::Clock& clock,
                   const std::atomic<bool>* stop) {
    if (!endpoint.documents || (stop && stop->load())) {
        return;
    }
    try {
        auto facts = store.find_endpoint(endpoint.name);
        if (!facts) {
            return;  // never harvested: no record lists anything yet
        }
        auto curl = http::make_curl_fetcher(
            documents::document_fetch_options(fetching, endpoint.document_max_bytes));
        auto polite = gate(*curl);
        documents::DocumentStage stage(*polite, store, db_path, clock);
        stage.set_stop_flag(stop);
        const auto extract = text_extraction_hook(store, db_path, extract_limits(text));
        stage.set_on_stored(extract);
        documents::DocumentPolicy policy;
        policy.endpoint_url = endpoint.url;
        policy.wanted_types = endpoint.document_types;
        policy.extra_hosts = endpoint.document_hosts;
        auto report = stage.run(facts->id, policy);
        // Bodies stored by a run killed before their text was read.
        for (const auto& sha256 : store::texts_wanted(store, 1000)) {
            if (const auto type = store::stored_body_type(store, sha256)) {
                extract(sha256, *type);
            }
        }
        store::drop_unused_texts(store);
        spdlog::info("{} documents: {} stored, {} unchanged, {} failed, {} refused, {} removed",
                     endpoint.name, report.stored, report.unchanged, report.failed, report.refused,
                     report.removed);
        if (report.last_error) {
            spdlog::warn("{} documents: last failure: {}", endpoint.name, *report.last_error);
        }
    } catch (const std::exception& e) {
        spdlog::error("{} documents: stage failed: {}", endpoint.name, e.what());
    }
}

}  // namespace oaiharvest::cli
