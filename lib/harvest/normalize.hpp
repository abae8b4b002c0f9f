#pragma once
// Normalization on harvest's side of the store seam: an OAI record becomes the store::RecordCopy
// the store writes, its metadata described (lib/metadata) and its record JSON made here, on the
// thread that reads the page, so that the store only writes rows. Pure functions but put(),
// which reads the mirror through the PageWriter it is given; thread-safe as that PageWriter is.

#include <optional>
#include <string>

#include "oai/response.hpp"
#include "store/store.hpp"

namespace oaiharvest::harvest {

// The record's header and metadata as the store keeps them, not normalized yet.
store::RecordCopy copy_of(const oai::Record& record);

// Sets copy.normalized: the description of the metadata (of `tree`, the reader's libxml2 tree
// of it, when given: no second parse; else of copy.metadata), with a parse_error for a dropped
// record or a header datestamp that is not a date, and the record JSON of endpoint and prefix.
// A deletion's description is empty. Never throws for bad metadata.
void normalize(store::RecordCopy& copy, const std::string& endpoint, const std::string& prefix,
               const _xmlNode* tree = nullptr);

// store::Normalizer: normalize() from the copy alone.
void normalize_copy(store::RecordCopy& copy, const std::string& endpoint,
                    const std::string& prefix);

// Puts the record into the page, normalized unless the mirror holds it unchanged.
void put(store::PageWriter& page, const oai::Record& record);

// The store's form of a list's next position.
std::optional<store::ListPosition> position_of(const std::optional<oai::ResumptionToken>& token);

// The store's form of what Identify said.
store::RepositoryFacts facts_of(const oai::RepositoryInfo& info);

}  // namespace oaiharvest::harvest
