#include "serve/web/html.hpp"

#include "util/url.hpp"
#include "util/utf8.hpp"

namespace oaiharvest::serve::web {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

// Characters an HTML document must not hold (HTML's "control" code points but the white space
// it allows): a browser shows them as nothing, or as a box, and a parser may stop at a NUL.
bool forbidden(char32_t c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
}

}  // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    std::size_t i = 0;
    while (i < text.size()) {
        const auto s = util::read_utf8(text, i);
        if (s.kind != util::Utf8Sequence::Kind::valid) {
            out += k_replacement;
            i += s.length;
            continue;
        }
        if (forbidden(s.code_point)) {
            out += k_replacement;
        } else if (s.length > 1) {
            out.append(text.data() + i, s.length);
        } else {
            switch (text[i]) {
                case '&':
                    out += "&amp;";
                    break;
                case '<':
                    out += "&lt;";
                    break;
                case '>':
                    out += "&gt;";
                    break;
                case '"':
                    out += "&quot;";
                    break;
                case '\'':
                    out += "&#39;";
                    break;
                default:
                    out += text[i];
            }
        }
        i += s.length;
    }
    return out;
}

bool is_web_url(std::string_view url) {
    auto starts_with = [&](std::string_view scheme) {
        if (url.size() <= scheme.size()) {
            return false;
        }
        for (std::size_t i = 0; i < scheme.size(); ++i) {
            const char c = url[i];
            if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != scheme[i]) {
                return false;
            }
        }
        return true;
    };
    if (!starts_with("http://") && !starts_with("https://")) {
        return false;
    }
    // A browser drops tabs and line breaks inside a URL and reads what is left: no such URL is
    // one the record meant.
    for (const char c : url) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7F) {
            return false;
        }
    }
    return true;
}

Link& Link::with(std::string_view name, std::string_view value) {
    m_url += m_has_query ? '&' : '?';
    m_has_query = true;
    m_url += name;
    m_url += '=';
    m_url += util::percent_encode(value);
    return *this;
}

Html& Html::element(std::string_view tag, std::string_view value) {
    m_out += '<';
    m_out += tag;
    m_out += '>';
    m_out += escape(value);
    m_out += "</";
    m_out += tag;
    m_out += '>';
    return *this;
}

Html& Html::link(const Link& href, std::string_view value) {
    m_out += "<a href=\"";
    m_out += escape(href.str());
    m_out += "\">";
    m_out += escape(value);
    m_out += "</a>";
    return *this;
}

Html& Html::external_link(std::string_view url, std::string_view value) {
    if (!is_web_url(url)) {
        return text(value);
    }
    m_out += "<a href=\"";
    m_out += escape(url);
    m_out += "\" rel=\"nofollow noopener noreferrer\">";
    m_out += escape(value);
    m_out += "</a>";
    return *this;
}

}  // namespace oaiharvest::serve::web
