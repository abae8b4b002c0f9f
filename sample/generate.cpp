#include "sample/generate.hpp"

#include <algorithm>
#include <stdexcept>

#include "sample/detail/corpus.hpp"
#include "sample/detail/documents.hpp"
#include "sample/detail/pdf.hpp"
#include "sample/detail/render.hpp"
#include "sample/detail/seed_article.hpp"
#include "sample/detail/seed_record.hpp"
#include "sample/detail/text.hpp"

namespace oaiharvest::sample {
namespace {

// splitmix64: the same bytes on every platform and standard library, unlike <random>'s
// distributions.
class Dice {
public:
    explicit Dice(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    bool one_in(std::size_t n) { return below(n) == 0; }
    template <class Span>
    auto pick(const Span& span) {
        return span[below(span.size())];
    }

private:
    std::uint64_t m_state;
};

constexpr std::size_t k_many_authors = 22;

std::string two_digits(std::size_t value) {
    return (value < 10 ? "0" : "") + std::to_string(value);
}

std::string subject_set_spec(const detail::Subject& subject) {
    return encode_set_spec("subjects=" + std::string(subject.top_code)) + ":" +
           encode_set_spec(subject.code);
}

std::time_t first_time(const GenerateOptions& options) {
    auto first = detail::parse_utc_seconds(options.first_datestamp);
    if (!first) {
        throw std::invalid_argument("first_datestamp is not YYYY-MM-DDThh:mm:ssZ: " +
                                    options.first_datestamp);
    }
    return *first;
}

std::string make_abstract(Dice& dice, std::size_t target_bytes) {
    const auto sentences = detail::abstract_sentences();
    std::string text;
    std::size_t count = 1 + dice.below(4);
    for (std::size_t i = 0; i < count || text.size() < target_bytes; ++i) {
        if (!text.empty()) {
            text += ' ';
        }
        text += dice.pick(sentences);
    }
    // EPrints stores what the depositor's HTML editor left behind.
    if (dice.one_in(4)) {
        text = "&nbsp;" + text + " &nbsp;";
    }
    return text;
}

detail::Work make_work(std::size_t number, const GenerateOptions& options, Dice& dice, bool book,
                       const std::string& datestamp) {
    detail::Work work;
    work.number = number;
    work.title = dice.pick(detail::titles());
    std::size_t authors = number % 50 == 7 ? k_many_authors : 1 + dice.below(4);
    for (std::size_t i = 0; i < authors; ++i) {
        const auto& pool = dice.pick(detail::name_pools());
        work.authors.push_back(
            {std::string(dice.pick(pool.given)), std::string(dice.pick(pool.family))});
    }
    work.abstract = make_abstract(dice, options.abstract_bytes);
    work.date_issued = std::to_string(2010 + dice.below(17));
    if (std::size_t shape = dice.below(4); shape < 3) {
        work.date_issued += "-" + two_digits(1 + dice.below(12));
        if (shape < 2) {
            work.date_issued += "-" + two_digits(1 + dice.below(28));
        }
    }
    work.publisher = dice.pick(detail::publishers());
    work.genre = book ? "Book" : "Article";
    work.peer_reviewed = dice.one_in(2);
    if (book) {
        work.venue = work.publisher + ", Tashkent.  ISBN 978-9943-" +
                     std::to_string(10 + number % 90) + "-" +
                     std::to_string(100 + dice.below(900)) + "-" + std::to_string(number % 10);
    } else {
        const auto& journal = dice.pick(detail::journals());
        std::size_t first_page = 1 + dice.below(200);
        work.venue = std::string(journal.title) + ", " + std::to_string(1 + dice.below(12)) + " (" +
                     std::to_string(1 + dice.below(6)) + ").  pp. " + std::to_string(first_page) +
                     "-" + std::to_string(first_page + 5 + dice.below(30)) + ".  ISSN " +
                     std::string(journal.issn);
        if (dice.one_in(3)) {
            work.doi = "10.5281/zenodo." + std::to_string(7'000'000 + number);
        }
    }
    if (options.file_every != 0 && number >= 2 && (number - 2) % options.file_every == 0) {
        work.file = detail::DocumentFile{options.site_url + "/id/eprint/" + std::to_string(number) +
                                             "/1/fulltext_" + std::to_string(number) + ".txt",
                                         400 + dice.below(4000)};
    }
    if (options.documents && number == k_pdf_record) {
        work.file =
            detail::DocumentFile{options.site_url + "/id/eprint/" + std::to_string(number) +
                                     "/1/article_" + std::to_string(number) + ".pdf",
                                 detail::minimal_pdf(k_pdf_phrase).size(), "application/pdf"};
    }
    work.created = datestamp;
    work.custodian = options.repository_name;
    work.site_url = options.site_url;
    return work;
}

bool wanted(const GenerateOptions& options, std::string_view prefix) {
    return std::find(options.prefixes.begin(), options.prefixes.end(), prefix) !=
           options.prefixes.end();
}

// The seed record's METS and oai_dc listing the seed article, as EPrints lists a document.
void list_seed_article(SampleRecord& record, const GenerateOptions& options) {
    const std::string url = options.site_url + std::string(k_seed_article_path);
    const std::string size = std::to_string(detail::k_seed_article.size());
    constexpr std::string_view k_empty_file_sec = "<mets:fileSec></mets:fileSec>";
    if (auto at = record.mets.find(k_empty_file_sec); at != std::string::npos) {
        record.mets.replace(at, k_empty_file_sec.size(),
                            "<mets:fileSec><mets:fileGrp USE=\"reference\"><mets:file "
                            "ID=\"eprint_85694_1_1\" SIZE=\"" +
                                size + "\" OWNERID=\"" + url +
                                "\" MIMETYPE=\"text/plain\"><mets:FLocat LOCTYPE=\"URL\" "
                                "xlink:type=\"simple\" xlink:href=\"" +
                                url + "\"/></mets:file></mets:fileGrp></mets:fileSec>");
    }
    constexpr std::string_view k_citation = "<dc:identifier>  Nazarova";
    if (auto at = record.oai_dc.find(k_citation); at != std::string::npos) {
        record.oai_dc.insert(at,
                             "<dc:format>text</dc:format>\n        <dc:language>en</dc:language>"
                             "\n        <dc:identifier>" +
                                 url + "</dc:identifier>\n        ");
    }
    record.documents.push_back(detail::make_document(url, options.site_url, "text/plain",
                                                     std::string(detail::k_seed_article),
                                                     record.datestamp));
}

SampleRecord seed_record(const GenerateOptions& options) {
    SampleRecord record;
    record.identifier = "oai:" + options.repository_identifier + ":1";
    record.datestamp = detail::format_utc_seconds(first_time(options));
    record.sets = {encode_set_spec("status=pub"), encode_set_spec("types=article")};
    if (wanted(options, "mets")) {
        record.mets = detail::k_seed_mets;
    }
    if (wanted(options, "mods")) {
        record.mods = detail::k_seed_mods;
    }
    if (wanted(options, "oai_dc")) {
        record.oai_dc = std::string(detail::k_seed_oai_dc_before_site) + options.site_url +
                        std::string(detail::k_seed_oai_dc_after_site);
    }
    if (options.documents) {
        list_seed_article(record, options);
    }
    return record;
}

}  // namespace

SampleRecord make_sample_record(std::size_t number, const GenerateOptions& options) {
    if (number <= 1) {
        return seed_record(options);
    }
    Dice dice(std::uint64_t{options.seed} * 0x100000001B3ULL ^ number);
    const bool book = dice.one_in(4);
    std::time_t stamp =
        first_time(options) + static_cast<std::time_t>(number - 1) * options.datestamp_step.count();

    SampleRecord record;
    record.identifier = "oai:" + options.repository_identifier + ":" + std::to_string(number);
    record.datestamp = detail::format_utc_seconds(stamp);
    record.sets = {encode_set_spec("status=pub"),
                   encode_set_spec(book ? "types=book" : "types=article")};

    detail::Work work = make_work(number, options, dice, book, record.datestamp);
    const auto subjects = detail::subjects();
    std::size_t wanted_subjects = 1 + dice.below(3);
    for (std::size_t i = 0; i < wanted_subjects; ++i) {
        const auto& subject = dice.pick(subjects);
        if (std::find(work.subjects.begin(), work.subjects.end(), subject.name) ==
            work.subjects.end()) {
            work.subjects.emplace_back(subject.name);
            record.sets.push_back(subject_set_spec(subject));
        }
    }

    if (options.deleted_every != 0 && number % options.deleted_every == 0) {
        // Withdrawn: EPrints serves only the header; the sets stay so that set harvests see it.
        record.deleted = true;
        record.datestamp = detail::format_utc_seconds(stamp + options.deletion_delay.count());
        return record;
    }
    if (wanted(options, "mets")) {
        record.mets = detail::render_mets(work);
    }
    if (wanted(options, "mods")) {
        record.mods = detail::render_mods(work);
    }
    if (wanted(options, "oai_dc")) {
        record.oai_dc = detail::render_oai_dc(work);
    }
    if (options.documents && work.file) {
        std::string body = work.file->mimetype == "application/pdf"
                               ? detail::minimal_pdf(k_pdf_phrase)
                               : detail::generated_fulltext(number, work.file->size);
        record.documents.push_back(detail::make_document(work.file->url, options.site_url,
                                                         work.file->mimetype, std::move(body),
                                                         record.datestamp));
    }
    return record;
}

std::vector<SampleSet> sample_sets() {
    std::vector<SampleSet> sets = {
        {encode_set_spec("status=pub"), "Status = Published"},
        {encode_set_spec("types=article"), "Type = Article"},
        {encode_set_spec("types=book"), "Type = Book"},
    };
    std::string_view previous_top;
    for (const auto& subject : detail::subjects()) {
        if (subject.top_code != previous_top) {
            sets.push_back({encode_set_spec("subjects=" + std::string(subject.top_code)),
                            "Subject = " + std::string(subject.top_name)});
            previous_top = subject.top_code;
        }
        sets.push_back({subject_set_spec(subject), "Subject = " + std::string(subject.top_name) +
                                                       ": " + std::string(subject.name)});
    }
    return sets;
}

Repository make_sample_repository(const GenerateOptions& options) {
    Repository repository;
    repository.identity.repository_name = options.repository_name;
    repository.identity.repository_identifier = options.repository_identifier;
    repository.identity.admin_email = "admin@" + options.repository_identifier;
    repository.formats = standard_formats(options.prefixes);
    repository.sets = sample_sets();
    repository.records.reserve(options.records);
    for (std::size_t number = 1; number <= options.records; ++number) {
        repository.records.push_back(make_sample_record(number, options));
    }
    return repository;
}

}  // namespace oaiharvest::sample
