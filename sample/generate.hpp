#pragma once
// Deterministic sample repositories: record 1 is the seed record (tests/fixtures/seeds, byte for
// byte), the others are generated from a seed so that the same options always give the same
// bytes, and record N does not depend on how many records there are (a test can grow or change
// a repository between harvests and compare). Pure functions; thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sample/repository.hpp"

namespace oaiharvest::sample {

struct GenerateOptions {
    std::size_t records = 300;  // identifiers 1..records, the seed record included
    std::uint32_t seed = 20260603;
    // 0: abstracts of one to four sentences. Otherwise each abstract is padded with more
    // sentences to at least this many bytes. A METS record is then ~6.2 KB: with 2,500, a
    // 50 MB ListRecords page takes 8,100 records (and prefixes = {"mets"} saves memory).
    std::size_t abstract_bytes = 0;
    std::size_t deleted_every = 37;  // records 37, 74, ... are deleted; 0: none
    std::size_t file_every = 25;     // records 2, 27, 52, ... have a document in fileSec; 0: none
    std::string repository_identifier = "sample.oaiharvest.local";
    std::string repository_name = "oaiharvest Sample Repository";
    std::string first_datestamp = "2025-01-06T08:00:00Z";  // record 1's
    std::chrono::seconds datestamp_step{105'187};          // record n: first + (n - 1) * step
    // A deleted record's datestamp is its withdrawal: this long after its own.
    std::chrono::seconds deletion_delay{std::chrono::hours{24 * 45}};
    std::string site_url = "http://sample.oaiharvest.local";         // document and relation URLs
    std::vector<std::string> prefixes = {"mets", "mods", "oai_dc"};  // formats to render
    // Serve documents (issue 15): record 1 lists the seed article (tests/fixtures/seeds/002_*)
    // as text/plain in its METS fileSec and oai_dc identifiers, record k_pdf_record a one-page
    // PDF showing k_pdf_phrase, and every file a record lists has a body (SampleRecord::
    // documents). Off, record 1 is the seed record byte for byte, with no file.
    bool documents = false;
};

// With GenerateOptions::documents: the record whose file is a PDF, and the line it shows.
inline constexpr std::size_t k_pdf_record = 3;
inline constexpr std::string_view k_pdf_phrase = "The Zarafshon keeps its own minutes";
// With GenerateOptions::documents: where the seed article is served, under site_url.
inline constexpr std::string_view k_seed_article_path = "/id/eprint/1/1/article.txt";

// The repository: records 1..options.records, formats, sets (status=pub, types=article,
// types=book and the subject classes, hex-encoded like EPrints) and Identify facts.
// Throws std::invalid_argument when first_datestamp is not "YYYY-MM-DDThh:mm:ssZ".
Repository make_sample_repository(const GenerateOptions& options);

// Record `number` as make_sample_repository makes it (number 1: the seed record).
SampleRecord make_sample_record(std::size_t number, const GenerateOptions& options);

// The sets every sample repository declares, in ListSets order.
std::vector<SampleSet> sample_sets();

}  // namespace oaiharvest::sample
