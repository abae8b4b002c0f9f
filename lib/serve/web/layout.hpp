#pragma once
// The frame every web page shares: the HTML5 document, its inline style, the header with the
// search box, and the replies the pages send (a page, an error page). Pure; thread-safe.

#include <string>
#include <string_view>

#include "serve/web/web.hpp"

namespace oaiharvest::serve::web {

// The inline stylesheet, so that a server's Content-Security-Policy can name its hash.
std::string_view stylesheet();

// How a page differs from the others.
struct Frame {
    std::string_view query;  // what the header's search box holds
    int status = 200;
    bool header_search = true;  // false on the page whose own content is the search box
};

// A whole document: `title` (a value, escaped) in <title> before the site's name, `main_html`
// (markup made with Html) as its <main>.
std::string document(std::string_view title, const std::string& main_html, const Frame& frame);

// A page: the document as its body, with the frame's status.
WebReply page_reply(std::string_view title, const std::string& main_html, const Frame& frame = {});

// A page that says what went wrong, in `message` (a value, escaped): 404 for what does not
// exist, 400 for a request we cannot read, 500 for a mirror that holds what it should not.
WebReply error_reply(int status, std::string_view message);

}  // namespace oaiharvest::serve::web
