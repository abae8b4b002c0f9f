#include "documents_run.hpp"

#include <spdlog/spdlog.h>

#include "documents/documents.hpp"

namespace oaiharvest::cli {
namespace {

// Where text extraction (issue 15's lib/fulltext) hooks in: told of each body stored. Empty
// until it is wired.
documents::OnStored text_extraction_hook() {
    return {};
}

}  // namespace

void run_documents(const config::EndpointConfig& endpoint, const http::FetchOptions& fetching,
                   const GateDocuments& gate, store::Store& store, const std::string& db_path,
                   util::Clock& clock, const std::atomic<bool>* stop) {
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
        stage.set_on_stored(text_extraction_hook());
        documents::DocumentPolicy policy;
        policy.endpoint_url = endpoint.url;
        policy.wanted_types = endpoint.document_types;
        policy.extra_hosts = endpoint.document_hosts;
        auto report = stage.run(facts->id, policy);
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
