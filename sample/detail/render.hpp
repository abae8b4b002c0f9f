#pragma once
// Renders one item as EPrints 3.4.7 does in its three formats. The strings are the element that
// goes inside <metadata>; they use the xsi: prefix without declaring it, as EPrints does (it is
// declared on the OAI-PMH root). Pure functions; thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace oaiharvest::sample::detail {

struct Person {
    std::string given;
    std::string family;
};

struct DocumentFile {
    std::string url;
    std::size_t size = 0;
    std::string mimetype = "text/plain";
};

struct Work {
    std::size_t number = 0;  // the eprint id
    std::string title;
    std::vector<Person> authors;
    std::string abstract;               // plain text; may hold a literal "&nbsp;", as EPrints'
    std::vector<std::string> subjects;  // "JZ International relations"
    std::string date_issued;            // "2020", "2020-05" or "2020-05-17"
    std::string publisher;
    std::string genre;  // "Article" or "Book"
    bool peer_reviewed = false;
    std::string venue;  // the oai_dc citation's middle: "Journal, 6 (5).  pp. 1-9.  ISSN x"
    std::string doi;    // empty: none (only oai_dc shows it, like EPrints)
    std::optional<DocumentFile> file;
    std::string created;    // metsHdr CREATEDATE
    std::string custodian;  // the repository name
    std::string site_url;   // "http://host": /id/eprint/<n>/ lives under it
};

std::string render_mets(const Work& work);
std::string render_mods(const Work& work);
std::string render_oai_dc(const Work& work);

}  // namespace oaiharvest::sample::detail
