#include "serve/web/layout.hpp"

#include "serve/web/html.hpp"

namespace oaiharvest::serve::web {
namespace {

// Small enough to send with every page (no second request, nothing to cache): one column that
// fits a phone's width, long words (identifiers, URLs) broken rather than scrolled.
constexpr std::string_view k_style =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;"
    "line-height:1.5;max-width:50rem;margin:0 auto;padding:0 1rem 2rem;color:#1b1b1b;"
    "background:#fff}"
    "header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.75rem 0;"
    "border-bottom:1px solid #ccc}"
    "header>a{font-weight:700;text-decoration:none}"
    "form{display:flex;flex:1 1 16rem;gap:.5rem;margin:0}"
    "input{flex:1;min-width:0;font:inherit;padding:.35rem .5rem}"
    "button{font:inherit;padding:.35rem .8rem}"
    "a{color:#0b57a4}"
    "h1{font-size:1.5rem;line-height:1.25}"
    "h1,h2,p,li,dd,td{overflow-wrap:anywhere}"
    "ol,ul{padding-left:1.25rem}"
    "li{margin:.4rem 0}"
    "dt{font-weight:600;margin-top:.75rem}"
    "dd{margin:0 0 0 1rem}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:.3rem .5rem .3rem 0;border-bottom:1px solid #eee}"
    "td.n{text-align:right}"
    ".meta{color:#555;font-size:.9rem}"
    ".notice{border:1px solid #b00;background:#fff3f3;padding:.5rem .75rem}"
    "nav.pager{display:flex;gap:1.5rem;margin:1rem 0}"
    "footer{margin-top:2rem;color:#555;font-size:.85rem}";

}  // namespace

std::string_view stylesheet() {
    return k_style;
}

std::string document(std::string_view title, const std::string& main_html, const Frame& frame) {
    Html h;
    h.markup(
         "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n<title>")
        .text(title)
        .markup(" · oaiharvest mirror</title>\n<style>")
        .markup(k_style)
        .markup("</style>\n</head>\n<body>\n<header><a href=\"/\">oaiharvest mirror</a>");
    if (frame.header_search) {
        h.markup(
             "<form action=\"/search\" method=\"get\" role=\"search\">"
             "<input type=\"search\" name=\"q\" aria-label=\"Search the mirror\" value=\"")
            .text(frame.query)
            .markup("\"><button type=\"submit\">Search</button></form>");
    }
    h.markup("</header>\n<main>\n")
        .markup(main_html)
        .markup(
            "\n</main>\n<footer>A mirror kept by oaiharvest. Machines: "
            "<a href=\"/oai?verb=Identify\">OAI-PMH</a>.</footer>\n</body>\n</html>\n");
    return h.take();
}

WebReply page_reply(std::string_view title, const std::string& main_html, const Frame& frame) {
    WebReply reply;
    reply.status = frame.status;
    reply.body = document(title, main_html, frame);
    return reply;
}

WebReply error_reply(int status, std::string_view message) {
    const std::string_view title = status == 404   ? "Not found"
                                   : status == 400 ? "Bad request"
                                                   : "The mirror could not be read";
    Html h;
    h.element("h1", title)
        .markup("\n<p>")
        .text(message)
        .markup("</p>\n<p><a href=\"/\">Search or browse the mirror</a></p>");
    return page_reply(title, h.str(), {.status = status});
}

}  // namespace oaiharvest::serve::web
