#include "document_json.hpp"

#include "store/document_text.hpp"

namespace oaiharvest::cli {
namespace {

template <typename T>
nlohmann::ordered_json or_null(const std::optional<T>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json text_json(store::Store& store, const store::ListedDocument& document) {
    if (!document.sha256) {
        return nullptr;
    }
    auto facts = store::text_facts(store, *document.sha256);
    if (!facts) {
        return nullptr;
    }
    return {
        {"status", std::string(fulltext::status_name(facts->status))},
        {"pages", or_null(facts->pages)},
        {"bytes", facts->text_bytes},
        {"error", or_null(facts->error)},
        {"extracted_at", facts->extracted_at},
    };
}

}  // namespace

nlohmann::ordered_json document_json(store::Store& store, const store::ListedDocument& document,
                                     const std::optional<std::string>& path) {
    return {
        {"url", document.url},
        {"path", or_null(path)},
        {"size", or_null(document.size)},
        {"sha256", or_null(document.sha256)},
        {"mimetype", or_null(document.mimetype)},
        {"state", document.state},
        {"error", or_null(document.error)},
        {"text", text_json(store, document)},
    };
}

}  // namespace oaiharvest::cli
