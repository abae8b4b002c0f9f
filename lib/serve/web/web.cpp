#include "serve/web/web.hpp"

#include <array>

#include "serve/web/layout.hpp"
#include "serve/web/pages.hpp"

namespace oaiharvest::serve {
namespace {

struct Route {
    std::string_view path;
    WebReply (*page)(store::Store&, const web::Params&);
};

// Every page; any other path is 404. A parameter given twice counts once, its first value;
// others are ignored. Required ones missing or empty, and numbers out of range, are 400.
//   /                                          search box, repositories with record counts
//   /search?q=WORDS[&page=N]                   20 hits a page, N from 1 to 50
//   /endpoint?endpoint=E[&after=IDENTIFIER]    its records by identifier, 20 a page
//   /set?endpoint=E&set=SPEC[&after=IDENTIFIER]
//   /year?endpoint=E&year=YYYY|unknown[&after=N]   YYYY 0 to 9999, N a record's key
//   /author?endpoint=E&name=NAME[&after=N]     NAME a family name, else a display form
//   /sets?endpoint=E[&after=SPEC]              100 a page
//   /years?endpoint=E[&before=YYYY]            100 a page, newest first
//   /authors?endpoint=E[&after=NAME]           100 a page
// (`after` and `before` come from the "Next page" links.)
//   /record?endpoint=E&id=IDENTIFIER[&format=PREFIX]
constexpr std::array k_routes{
    Route{"/", web::home_page},
    Route{"/search", web::search_page},
    Route{"/endpoint", web::endpoint_page},
    Route{"/set", web::set_page},
    Route{"/year", web::year_page},
    Route{"/author", web::author_page},
    Route{"/sets", web::sets_page},
    Route{"/years", web::years_page},
    Route{"/authors", web::authors_page},
    Route{"/record", web::record_page},
};

}  // namespace

WebReply web_page(store::Store& store, std::string_view path,
                  const std::vector<std::pair<std::string, std::string>>& query) {
    const web::Params params(query);
    for (const auto& route : k_routes) {
        if (route.path == path) {
            return route.page(store, params);
        }
    }
    return web::error_reply(404, "There is no page at " + std::string(path) + ".");
}

}  // namespace oaiharvest::serve
