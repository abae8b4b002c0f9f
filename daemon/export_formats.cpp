#include "export_formats.hpp"

#include <functional>
#include <nlohmann/json.hpp>

#include "util/time.hpp"

namespace oaiharvest::cli {
namespace {

class JsonLines final : public ExportWriter {
public:
    explicit JsonLines(std::ostream& out) : m_out(out) {}
    void write(const store::StoredRecord& r, const nlohmann::ordered_json& documents) override {
        // The stored JSON as it is (parsing every record would triple the export's time), with
        // the documents spliced in as its last key.
        const auto close = r.json.rfind('}');
        if (documents.empty() || close == std::string::npos) {
            m_out << r.json << '\n';
            return;
        }
        m_out.write(r.json.data(), static_cast<std::streamsize>(close));
        m_out << ",\"documents\":"
              << documents.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << std::string_view(r.json).substr(close) << '\n';
    }

private:
    std::ostream& m_out;
};

std::string csv_field(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        return value;
    }
    std::string quoted = "\"";
    for (char c : value) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

std::string text_of(const nlohmann::json& value) {
    if (value.is_null()) {
        return "";
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    return value.dump();
}

std::string joined(const nlohmann::json& list,
                   const std::function<std::string(const nlohmann::json&)>& item) {
    std::string out;
    for (const auto& v : list) {
        std::string text = item(v);
        if (!text.empty()) {
            out += (out.empty() ? "" : "; ") + text;
        }
    }
    return out;
}

class Csv final : public ExportWriter {
public:
    explicit Csv(std::ostream& out) : m_out(out) {}
    void begin() override {
        m_out << "endpoint,identifier,datestamp,deleted,metadata_prefix,sets,title,subtitle,"
                 "names,abstract,subjects,genre,type,language,date_issued,publisher,host_title,"
                 "host_issn,host_volume,host_issue,host_pages,identifiers,urls,files,rights,"
                 "mets_objid,mets_created,mets_custodian,parse_error,documents\r\n";
    }
    void write(const store::StoredRecord& r, const nlohmann::ordered_json& documents) override {
        auto j = nlohmann::json::parse(r.json);
        auto plain = [](const nlohmann::json& v) { return text_of(v); };
        const auto& host = j["host"];
        const auto& mets = j["mets"];
        auto member = [](const nlohmann::json& object, const char* key) {
            return object.is_object() ? text_of(object[key]) : std::string();
        };
        std::vector<std::string> fields{
            text_of(j["endpoint"]),
            text_of(j["identifier"]),
            text_of(j["datestamp"]),
            j["deleted"].get<bool>() ? "true" : "false",
            text_of(j["metadata_prefix"]),
            joined(j["sets"], plain),
            text_of(j["title"]),
            text_of(j["subtitle"]),
            joined(j["names"], [](const nlohmann::json& n) { return text_of(n["display"]); }),
            text_of(j["abstract"]),
            joined(j["subjects"], plain),
            text_of(j["genre"]),
            text_of(j["type"]),
            text_of(j["language"]),
            text_of(j["date_issued"]),
            text_of(j["publisher"]),
            member(host, "title"),
            member(host, "issn"),
            member(host, "volume"),
            member(host, "issue"),
            member(host, "pages"),
            joined(j["identifiers"],
                   [](const nlohmann::json& i) {
                       return text_of(i["type"]) + ":" + text_of(i["value"]);
                   }),
            joined(j["urls"], plain),
            joined(j["files"], [](const nlohmann::json& f) { return text_of(f["href"]); }),
            text_of(j["rights"]),
            member(mets, "objid"),
            member(mets, "created"),
            member(mets, "custodian"),
            text_of(j["parse_error"]),
            joined(documents, [](const nlohmann::json& d) { return text_of(d["path"]); })};
        for (std::size_t i = 0; i < fields.size(); ++i) {
            m_out << (i ? "," : "") << csv_field(fields[i]);
        }
        m_out << "\r\n";
    }

private:
    std::ostream& m_out;
};

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
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
            default:
                out += c;
        }
    }
    return out;
}

class OaiXml final : public ExportWriter {
public:
    explicit OaiXml(std::ostream& out) : m_out(out) {}
    void begin() override {
        m_out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">\n"
                 "<responseDate>"
              << util::format_utc_seconds(util::now_utc())
              << "</responseDate>\n<request verb=\"ListRecords\">oaiharvest export</request>\n"
                 "<ListRecords>\n";
    }
    void write(const store::StoredRecord& r, const nlohmann::ordered_json& documents) override {
        m_out << "<record><header" << (r.deleted ? " status=\"deleted\"" : "") << "><identifier>"
              << xml_escape(r.identifier) << "</identifier>";
        // A server's datestamp that is not a date stays in the mirror, not in an export.
        if (util::parse_utc(r.datestamp)) {
            m_out << "<datestamp>" << xml_escape(r.datestamp) << "</datestamp>";
        }
        for (const auto& set : r.sets) {
            m_out << "<setSpec>" << xml_escape(set) << "</setSpec>";
        }
        m_out << "</header>";
        if (r.metadata && !r.deleted) {
            m_out << "<metadata>" << *r.metadata << "</metadata>";
        }
        m_out << "<about><oaiharvest xmlns=\"urn:oaiharvest:export:1\" endpoint=\""
              << xml_escape(r.endpoint) << "\" metadataPrefix=\"" << xml_escape(r.metadata_prefix)
              << "\" lastChanged=\"" << xml_escape(r.last_changed) << "\"";
        if (documents.empty()) {
            m_out << "/></about></record>\n";
            return;
        }
        m_out << ">";
        for (const auto& d : documents) {
            m_out << "<document";
            for (const char* key : {"url", "path", "size", "sha256", "mimetype", "state"}) {
                if (!d[key].is_null()) {
                    m_out << ' ' << key << "=\"" << xml_escape(text_of(d[key])) << '"';
                }
            }
            m_out << "/>";
        }
        m_out << "</oaiharvest></about></record>\n";
    }
    void end() override { m_out << "</ListRecords>\n</OAI-PMH>\n"; }

private:
    std::ostream& m_out;
};

}  // namespace

std::unique_ptr<ExportWriter> make_export_writer(const std::string& format, std::ostream& out) {
    if (format == "csv") {
        return std::make_unique<Csv>(out);
    }
    if (format == "xml") {
        return std::make_unique<OaiXml>(out);
    }
    return std::make_unique<JsonLines>(out);
}

}  // namespace oaiharvest::cli
