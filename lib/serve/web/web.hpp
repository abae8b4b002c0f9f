#pragma once
// The web pages for people (issue 14): search the mirror, browse it by endpoint, set, year and
// author, and one page per record. Server-rendered HTML, no JavaScript, every value escaped.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace oaiharvest::serve {

// What the HTTP layer sends back: status, Content-Type and the body.
struct WebReply {
    int status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::string body;
};

// The page at `path` (anything but /oai, /metrics and /healthz, which the server routes itself),
// with the query's decoded name=value pairs in order. A path that names no page is 404, with a
// page that says so; a request a page cannot use (a parameter missing, a page number that is no
// number) is 400, and one naming what the mirror does not hold is 404, each with a page saying
// why. `store` is a read-only Store owned by the calling thread; its reads are bounded by a page
// of results (lib/store/browse.hpp). Throws what the store throws when the mirror cannot be
// read (a damaged or vanished file): the server's 500. The routes are listed in web.cpp.
WebReply web_page(store::Store& store, std::string_view path,
                  const std::vector<std::pair<std::string, std::string>>& query);

}  // namespace oaiharvest::serve
