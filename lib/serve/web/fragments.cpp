#include "serve/web/fragments.hpp"

#include "util/url.hpp"
#include "util/utf8.hpp"

namespace oaiharvest::serve::web {
namespace {

// The text of one hex part, when it is printable UTF-8.
std::optional<std::string> unhex(std::string_view part) {
    if (part.empty() || part.size() % 2 != 0) {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 0; i < part.size(); i += 2) {
        const int high = util::hex_digit_value(part[i]);
        const int low = util::hex_digit_value(part[i + 1]);
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        out += static_cast<char>(high * 16 + low);
    }
    for (std::size_t i = 0; i < out.size();) {
        const auto s = util::read_utf8(out, i);
        if (s.kind != util::Utf8Sequence::Kind::valid || s.code_point < 0x20 ||
            (s.code_point >= 0x7F && s.code_point <= 0x9F)) {
            return std::nullopt;
        }
        i += s.length;
    }
    return out;
}

}  // namespace

Link record_link(std::string_view endpoint, std::string_view identifier) {
    return Link("/record").with("endpoint", endpoint).with("id", identifier);
}

Link endpoint_link(std::string_view path, std::string_view endpoint) {
    return Link(path).with("endpoint", endpoint);
}

void record_item(Html& h, std::string_view endpoint, std::string_view identifier,
                 const std::optional<std::string>& title, const std::vector<std::string>& names,
                 std::optional<std::int64_t> year, bool show_endpoint, std::string_view note) {
    h.markup("<li>").link(record_link(endpoint, identifier), title.value_or("(no title)"));
    std::string meta;
    for (const auto& name : names) {
        meta += (meta.empty() ? "" : "; ") + name;
    }
    if (year) {
        meta += (meta.empty() ? "" : " · ") + std::to_string(*year);
    }
    if (show_endpoint) {
        meta += (meta.empty() ? "" : " · ") + std::string(endpoint);
    }
    if (!note.empty()) {
        meta += (meta.empty() ? "" : " · ") + std::string(note);
    }
    if (!meta.empty()) {
        h.markup("<br><span class=\"meta\">").text(meta).markup("</span>");
    }
    h.markup("</li>\n");
}

void record_list(Html& h, std::string_view endpoint,
                 const std::vector<store::RecordSummary>& list) {
    h.markup("<ol class=\"records\">\n");
    for (const auto& r : list) {
        record_item(h, endpoint, r.identifier, r.title, r.names, r.year, false);
    }
    h.markup("</ol>\n");
}

void pager(Html& h, const std::optional<Link>& first, const std::optional<Link>& next) {
    if (!first && !next) {
        return;
    }
    h.markup("<nav class=\"pager\" aria-label=\"Pages\">");
    if (first) {
        h.link(*first, "« First page");
    }
    if (next) {
        h.markup("<a rel=\"next\" href=\"").text(next->str()).markup("\">Next page »</a>");
    }
    h.markup("</nav>\n");
}

std::string grouped(std::int64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

std::string count_of(std::int64_t n, std::string_view one, std::string_view many) {
    return grouped(n) + " " + std::string(n == 1 ? one : many);
}

std::string set_label(std::string_view spec) {
    std::string decoded;
    std::string_view rest = spec;
    while (true) {
        const auto colon = rest.find(':');
        const auto part = unhex(rest.substr(0, colon));
        if (!part) {
            return std::string(spec);
        }
        decoded += (decoded.empty() ? "" : ":") + *part;
        if (colon == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(colon + 1);
    }
    // A short spec of digits decodes to something too ("2024" is " $"): EPrints' have a "=".
    return decoded.find('=') == std::string::npos ? std::string(spec) : decoded;
}

std::optional<std::string> author_key(const std::optional<std::string>& family,
                                      const std::optional<std::string>& display) {
    if (family && !family->empty()) {
        return family;
    }
    if (display && !display->empty()) {
        return display;
    }
    return std::nullopt;
}

}  // namespace oaiharvest::serve::web
