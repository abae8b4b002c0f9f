#pragma once
// Writing HTML whose every value is escaped: the one place the web pages turn text into markup.
// Pure; an Html is used by one thread. Values come from harvested records and from requests, so
// nothing here trusts them: text is escaped for both content and quoted attributes, a value
// that is not valid UTF-8 is repaired, and only http(s) URLs ever become a link.

#include <string>
#include <string_view>

namespace oaiharvest::serve::web {

// The text for HTML content or a double- or single-quoted attribute value: & < > " ' as
// character references; bytes that are not valid UTF-8, and control characters HTML does not
// allow (all C0 but tab, line feed and carriage return; DEL; C1), as U+FFFD. Valid UTF-8 text
// (Cyrillic, O‘zbekiston) passes byte for byte.
std::string escape(std::string_view text);

// True for an absolute http:// or https:// URL without white space or control characters:
// the only values from a record that may become an href. Anything else (javascript:, data:,
// a relative path, " javascript:" with the space a browser strips) is shown as text.
bool is_web_url(std::string_view url);

// A link to one of our own pages: the path, and each query value percent-encoded.
class Link {
public:
    explicit Link(std::string_view path) : m_url(path) {}
    Link& with(std::string_view name, std::string_view value);
    const std::string& str() const { return m_url; }

private:
    std::string m_url;
    bool m_has_query = false;
};

class Html {
public:
    // The page's own markup: literals written in our code, never a value.
    Html& markup(std::string_view literal) {
        m_out += literal;
        return *this;
    }
    // A value, escaped.
    Html& text(std::string_view value) {
        m_out += escape(value);
        return *this;
    }
    // <tag>value</tag>, the tag ours and the value escaped.
    Html& element(std::string_view tag, std::string_view value);
    // <a href="link">value</a>.
    Html& link(const Link& href, std::string_view value);
    // <a href="url" rel="nofollow noopener noreferrer">value</a> when is_web_url(url), else the
    // value as text: a record's URL, never trusted.
    Html& external_link(std::string_view url, std::string_view value);

    const std::string& str() const { return m_out; }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

}  // namespace oaiharvest::serve::web
