#pragma once
// Test support for the OAI-PMH reader: a handler that records every event, helpers that feed a
// whole body in chunks of a chosen size, and the response bodies of a VCR cassette.

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "oai/reader.hpp"
#include "oai/response.hpp"

namespace oaiharvest::test {

// Records each event twice: as typed values, and as one line of a log that two readings of the
// same response must reproduce exactly.
class RecordingHandler : public oai::ResponseHandler {
public:
    std::vector<std::string> log;
    std::optional<std::string> response_date;
    std::optional<oai::RequestEcho> request;
    std::vector<oai::ProtocolError> errors;
    std::optional<oai::RepositoryInfo> identify;
    std::vector<oai::MetadataFormat> formats;
    std::vector<oai::SetInfo> sets;
    std::vector<oai::RecordHeader> headers;  // ListIdentifiers
    std::vector<oai::Record> records;        // ListRecords, GetRecord
    std::optional<oai::ResumptionToken> token;

    void on_response_date(const std::string& date) override {
        response_date = date;
        log.push_back("responseDate|" + date);
    }
    void on_request(const oai::RequestEcho& echo) override {
        request = echo;
        std::string line = "request|" + echo.base_url;
        auto attributes = echo.attributes;
        std::sort(attributes.begin(), attributes.end());
        for (const auto& [name, value] : attributes) {
            line += "|" + name + "=" + value;
        }
        log.push_back(line);
    }
    void on_error(const oai::ProtocolError& error) override {
        errors.push_back(error);
        log.push_back("error|" + std::to_string(static_cast<int>(error.code)) + "|" +
                      error.code_text + "|" + error.message);
    }
    void on_identify(const oai::RepositoryInfo& info) override {
        identify = info;
        std::string line = "identify|" + info.repository_name + "|" + info.base_url + "|" +
                           info.protocol_version + "|" + info.earliest_datestamp + "|" +
                           info.deleted_record + "|" + info.granularity;
        for (const auto& email : info.admin_emails) {
            line += "|admin=" + email;
        }
        for (const auto& compression : info.compressions) {
            line += "|compression=" + compression;
        }
        log.push_back(line);
    }
    void on_metadata_format(const oai::MetadataFormat& format) override {
        formats.push_back(format);
        log.push_back("format|" + format.prefix + "|" + format.schema + "|" + format.namespace_uri);
    }
    void on_set(const oai::SetInfo& set) override {
        sets.push_back(set);
        log.push_back("set|" + set.spec + "|" + set.name);
    }
    void on_header(const oai::RecordHeader& header) override {
        headers.push_back(header);
        log.push_back("header|" + header_line(header));
    }
    void on_record(oai::Record& record) override {
        records.push_back(record);
        std::string line = "record|" + header_line(record.header) + "|" + record.metadata;
        for (const auto& about : record.about) {
            line += "|about=" + about;
        }
        log.push_back(line);
    }
    void on_resumption_token(const oai::ResumptionToken& resumption) override {
        token = resumption;
        log.push_back(
            "token|" + resumption.value + "|" +
            (resumption.cursor ? std::to_string(*resumption.cursor) : "-") + "|" +
            (resumption.complete_list_size ? std::to_string(*resumption.complete_list_size) : "-") +
            "|" + resumption.expiration_date.value_or("-"));
    }

    std::size_t deleted_headers() const {
        auto deleted = [](const oai::RecordHeader& h) { return h.deleted; };
        return static_cast<std::size_t>(
            std::count_if(headers.begin(), headers.end(), deleted) +
            std::count_if(records.begin(), records.end(),
                          [&](const oai::Record& r) { return deleted(r.header); }));
    }

private:
    static std::string header_line(const oai::RecordHeader& header) {
        std::string line = header.identifier + "|" + header.datestamp + "|" +
                           (header.deleted ? "deleted" : "live");
        for (const auto& spec : header.set_specs) {
            line += "|set=" + spec;
        }
        return line;
    }
};

struct Reading {
    RecordingHandler events;
    oai::ResponseSummary summary;
};

// Reads body fed in chunks of chunk_size bytes (0: in one piece). Exceptions pass through.
inline void read_into(RecordingHandler& handler, oai::ResponseSummary& summary,
                      std::string_view body, std::size_t chunk_size = 0) {
    oai::ResponseReader reader(handler);
    if (chunk_size == 0) {
        reader.feed(body);
    } else {
        for (std::size_t at = 0; at < body.size(); at += chunk_size) {
            reader.feed(body.substr(at, chunk_size));
        }
    }
    summary = reader.finish();
}

inline Reading read_response(std::string_view body, std::size_t chunk_size = 0) {
    Reading reading;
    read_into(reading.events, reading.summary, body, chunk_size);
    return reading;
}

// The response bodies of a VCR cassette (response.body.content, a YAML block scalar written
// as "|", "|-" or ">-"), in order. Just enough YAML for the cassettes in fixtures/real.
inline std::vector<std::string> cassette_bodies(const std::string& yaml) {
    std::vector<std::string> lines;
    std::istringstream in(yaml);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    auto indent_of = [](const std::string& line) { return line.find_first_not_of(' '); };
    std::vector<std::string> bodies;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto key_indent = indent_of(lines[i]);
        if (key_indent == std::string::npos || lines[i].compare(key_indent, 9, "content: ") != 0) {
            continue;
        }
        const std::string style = lines[i].substr(key_indent + 9);
        const bool folded = style.starts_with('>');
        const bool strip = style.ends_with('-');
        std::vector<std::string> block;
        std::size_t block_indent = std::string::npos;
        for (++i; i < lines.size(); ++i) {
            const auto indent = indent_of(lines[i]);
            if (indent != std::string::npos && indent <= key_indent) {
                break;
            }
            if (indent != std::string::npos && block_indent == std::string::npos) {
                block_indent = indent;
            }
            block.push_back(indent == std::string::npos ? "" : lines[i].substr(block_indent));
        }
        --i;
        while (!block.empty() && block.back().empty()) {
            block.pop_back();
        }
        std::string body;
        for (std::size_t k = 0; k < block.size(); ++k) {
            if (k > 0) {
                body += folded && !block[k].empty() && !block[k - 1].empty() ? " " : "\n";
            }
            body += block[k];
        }
        if (!strip) {
            body += '\n';
        }
        bodies.push_back(body);
    }
    return bodies;
}

}  // namespace oaiharvest::test
