#pragma once
// The documents stage as `harvest` and the daemon's harvest children run it after an
// endpoint's metadata: its own fetcher (document_fetch_options, wrapped in the caller's
// politeness gate), its report logged. A failing document, or the stage failing as a whole,
// never fails the metadata harvest: it is counted, logged and shown by `status`.

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "http/http.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace oaiharvest::cli {

// Wraps the documents' fetcher in the harvest's politeness gate.
using GateDocuments = std::function<std::unique_ptr<http::Fetcher>(http::Fetcher& inner)>;

// Runs the stage for the endpoint when its config says documents = true and the mirror knows
// it; does nothing otherwise. Each body's text is read within the [text] settings.
void run_documents(const config::EndpointConfig& endpoint, const config::TextSettings& text,
                   const http::FetchOptions& fetching, const GateDocuments& gate,
                   store::Store& store, const std::string& db_path, util::Clock& clock,
                   const std::atomic<bool>* stop);

}  // namespace oaiharvest::cli
