// to_json_text(): the record JSON written straight into one string. It is what the store keeps
// for every harvested record, so it builds no ordered_json tree (a map per object, a node per
// value); the profile put that tree and its dump at a tenth of a harvest. Its escaping is
// nlohmann's dump(), so that a value reads back the same (tests/unit/metadata/test_json_text.cpp).

#include <cstdio>

#include "metadata/metadata.hpp"
#include "util/utf8.hpp"

namespace oaiharvest::metadata {
namespace {

class Writer {
public:
    explicit Writer(std::string& out) : m_out(out) {}

    void key(std::string_view name) {
        separator();
        m_out += '"';
        m_out += name;  // our own keys: nothing to escape
        m_out += "\":";
        m_first = true;  // the value follows without a comma
    }
    void text(std::string_view value) {
        separator();
        m_out += '"';
        escape(value);
        m_out += '"';
        m_first = false;
    }
    void text(const std::optional<std::string>& value) {
        value ? text(std::string_view(*value)) : null();
    }
    void null() { raw("null"); }
    void boolean(bool value) { raw(value ? "true" : "false"); }
    void number(std::int64_t value) { raw(std::to_string(value)); }
    void open(char bracket) {
        separator();
        m_out += bracket;
        m_first = true;
    }
    void close(char bracket) {
        m_out += bracket;
        m_first = false;
    }
    void texts(const std::vector<std::string>& values) {
        open('[');
        for (const auto& v : values) {
            text(std::string_view(v));
        }
        close(']');
    }

private:
    void raw(std::string_view token) {
        separator();
        m_out += token;
        m_first = false;
    }
    void separator() {
        if (!m_first) {
            m_out += ',';
        }
    }
    // nlohmann's dump(): the two-character escapes, \u00XX for other controls, UTF-8 as it is;
    // a byte that is not valid UTF-8 becomes U+FFFD (dump() would throw). Runs of bytes that
    // need nothing are appended whole.
    void escape(std::string_view value) {
        std::size_t run = 0;  // the first byte not yet appended
        std::size_t i = 0;
        auto flush = [&] { m_out.append(value.data() + run, i - run); };
        while (i < value.size()) {
            auto c = static_cast<unsigned char>(value[i]);
            if (c >= 0x80) {
                if (const auto s = util::read_utf8(value, i);
                    s.kind == util::Utf8Sequence::Kind::valid) {
                    i += s.length;
                    continue;
                }
                flush();
                m_out += "\xEF\xBF\xBD";
                run = ++i;
                continue;
            }
            if (c >= 0x20 && c != '"' && c != '\\') {
                ++i;
                continue;
            }
            flush();
            switch (c) {
                case '"':
                    m_out += "\\\"";
                    break;
                case '\\':
                    m_out += "\\\\";
                    break;
                case '\b':
                    m_out += "\\b";
                    break;
                case '\f':
                    m_out += "\\f";
                    break;
                case '\n':
                    m_out += "\\n";
                    break;
                case '\r':
                    m_out += "\\r";
                    break;
                case '\t':
                    m_out += "\\t";
                    break;
                default: {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                    m_out += escaped;
                }
            }
            run = ++i;
        }
        flush();
    }

    std::string& m_out;
    bool m_first = true;
};

}  // namespace

std::string to_json_text(const Envelope& envelope, const Description& d) {
    std::string out;
    out.reserve(2048);
    Writer w(out);
    w.open('{');
    w.key("endpoint");
    w.text(std::string_view(envelope.endpoint));
    w.key("identifier");
    w.text(std::string_view(envelope.identifier));
    w.key("datestamp");
    if (envelope.datestamp.empty()) {
        w.null();  // none, or not a date (the store says which in parse_error)
    } else {
        w.text(std::string_view(envelope.datestamp));
    }
    w.key("deleted");
    w.boolean(envelope.deleted);
    w.key("metadata_prefix");
    w.text(std::string_view(envelope.metadata_prefix));
    w.key("sets");
    w.texts(envelope.sets);
    w.key("title");
    w.text(d.title);
    w.key("subtitle");
    w.text(d.subtitle);
    w.key("names");
    w.open('[');
    for (const auto& name : d.names) {
        // Exactly these four keys: affiliation and ORCID are not in the contract.
        w.open('{');
        w.key("given");
        w.text(name.given);
        w.key("family");
        w.text(name.family);
        w.key("display");
        w.text(name.display);
        w.key("role");
        w.text(name.role);
        w.close('}');
    }
    w.close(']');
    w.key("abstract");
    w.text(d.abstract);
    w.key("subjects");
    w.texts(d.subjects);
    w.key("genre");
    w.text(d.genre);
    w.key("type");
    w.text(d.type);
    w.key("language");
    w.text(d.language);
    w.key("date_issued");
    w.text(d.date_issued);
    w.key("publisher");
    w.text(d.publisher);
    w.key("host");
    if (d.host) {
        w.open('{');
        w.key("title");
        w.text(d.host->title);
        w.key("issn");
        w.text(d.host->issn);
        w.key("volume");
        w.text(d.host->volume);
        w.key("issue");
        w.text(d.host->issue);
        w.key("pages");
        w.text(d.host->pages);
        w.close('}');
    } else {
        w.null();
    }
    w.key("identifiers");
    w.open('[');
    for (const auto& id : d.identifiers) {
        w.open('{');
        w.key("type");
        w.text(std::string_view(id.type));
        w.key("value");
        w.text(std::string_view(id.value));
        w.close('}');
    }
    w.close(']');
    w.key("urls");
    w.texts(d.urls);
    w.key("files");
    w.open('[');
    for (const auto& file : d.files) {
        w.open('{');
        w.key("href");
        w.text(std::string_view(file.href));
        w.key("mimetype");
        w.text(file.mimetype);
        w.key("size");
        file.size ? w.number(*file.size) : w.null();
        w.key("use");
        w.text(file.use);
        w.close('}');
    }
    w.close(']');
    w.key("rights");
    w.text(d.rights);
    w.key("mets");
    if (d.mets) {
        w.open('{');
        w.key("objid");
        w.text(d.mets->objid);
        w.key("created");
        w.text(d.mets->created);
        w.key("custodian");
        w.text(d.mets->custodian);
        w.close('}');
    } else {
        w.null();
    }
    w.key("parse_error");
    w.text(d.parse_error);
    w.close('}');
    return out;
}

}  // namespace oaiharvest::metadata
