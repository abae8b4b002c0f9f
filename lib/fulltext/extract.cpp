// Which extractor reads a MIME type, and the worker's side of the protocol.

#include "fulltext/extract.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>

#include "fulltext/detail/worker.hpp"

namespace oaiharvest::fulltext {
namespace {

constexpr std::string_view k_magic = "oaiharvest-text ";

enum class Kind { plain, html, pdf, other };

// "Text/HTML; charset=UTF-8" -> html.
Kind kind_of(std::string_view mimetype) {
    std::string type(mimetype.substr(0, mimetype.find(';')));
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    while (!type.empty() && type.back() == ' ') {
        type.pop_back();
    }
    if (type == "text/plain") {
        return Kind::plain;
    }
    if (type == "text/html" || type == "application/xhtml+xml") {
        return Kind::html;
    }
    if (type == "application/pdf") {
        return Kind::pdf;
    }
    return Kind::other;
}

// The charset parameter of a MIME type ("text/html; charset=windows-1251"), or "".
std::string charset_of(std::string_view mimetype) {
    std::string lower(mimetype);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto at = lower.find("charset=");
    if (at == std::string::npos) {
        return {};
    }
    std::string value = lower.substr(at + 8);
    value = value.substr(0, value.find(';'));
    std::erase(value, '"');
    std::erase(value, ' ');
    return value;
}

ExtractedText failed(const std::filesystem::path& body, const std::string& why) {
    return {TextStatus::failed, {}, std::nullopt, body.string() + ": " + why};
}

// Empty when only white space was found: nothing for the index.
ExtractedText found(std::string text, std::optional<std::int64_t> pages) {
    const bool blank = text.find_first_not_of(" \n\t") == std::string::npos;
    return {blank ? TextStatus::empty : TextStatus::extracted,
            blank ? std::string{} : std::move(text),
            pages,
            {}};
}

// At most `cap` bytes of the file; nullopt when it cannot be read or is longer.
std::optional<std::string> read_capped(const std::filesystem::path& body, std::size_t cap) {
    std::ifstream in(body, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::string bytes;
    std::array<char, 64 * 1024> buffer{};
    while (in) {
        in.read(buffer.data(), buffer.size());
        bytes.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
        if (bytes.size() > cap) {
            return std::nullopt;
        }
    }
    if (in.bad()) {
        return std::nullopt;
    }
    return bytes;
}

}  // namespace

ExtractedText extract_here(const std::filesystem::path& body, std::string_view mimetype,
                           const ExtractLimits& limits) {
    const Kind kind = kind_of(mimetype);
    if (kind == Kind::other) {
        return {TextStatus::unsupported,
                {},
                std::nullopt,
                body.string() + ": no text extractor for MIME type " + std::string(mimetype)};
    }
    auto bytes = read_capped(body, limits.max_input_bytes);
    if (!bytes) {
        return failed(body, "cannot be read, or is larger than " +
                                std::to_string(limits.max_input_bytes) + " bytes");
    }
    switch (kind) {
        case Kind::plain:
            return found(plain_text(*bytes, limits.max_text_bytes), std::nullopt);
        case Kind::html: {
            auto text = html_text(*bytes, limits.max_text_bytes, charset_of(mimetype));
            return text ? found(std::move(*text), std::nullopt) : failed(body, text.error());
        }
        case Kind::pdf: {
            auto text = pdf_text(*bytes, limits.max_text_bytes);
            return text ? found(std::move(text->text), text->pages) : failed(body, text.error());
        }
        case Kind::other:
            break;
    }
    return failed(body, "unreachable");
}

ExtractedText extract_text(const std::filesystem::path& body, std::string_view mimetype,
                           const ExtractLimits& limits,
                           const std::filesystem::path& worker_executable) {
    if (kind_of(mimetype) != Kind::pdf) {
        return extract_here(body, mimetype, limits);
    }
    return detail::run_worker(worker_executable, body, worker_arguments(body, mimetype, limits),
                              limits);
}

std::vector<std::string> worker_arguments(const std::filesystem::path& body,
                                          std::string_view mimetype, const ExtractLimits& limits) {
    return {"__extract-text",
            body.string(),
            std::string(mimetype),
            "--max-text",
            std::to_string(limits.max_text_bytes),
            "--max-input",
            std::to_string(limits.max_input_bytes),
            "--memory",
            std::to_string(limits.memory_bytes),
            "--cpu",
            std::to_string(limits.cpu.count())};
}

std::string encode_result(const ExtractedText& result) {
    std::string out(k_magic);
    out += status_name(result.status);
    out += ' ';
    out += result.pages ? std::to_string(*result.pages) : "-";
    out += '\n';
    out += result.status == TextStatus::extracted ? result.text : result.error;
    return out;
}

std::optional<ExtractedText> decode_result(std::string_view output) {
    if (!output.starts_with(k_magic)) {
        return std::nullopt;
    }
    output.remove_prefix(k_magic.size());
    const auto line_end = output.find('\n');
    if (line_end == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view line = output.substr(0, line_end);
    const std::string_view rest = output.substr(line_end + 1);
    const auto space = line.find(' ');
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view status = line.substr(0, space);
    const std::string_view pages = line.substr(space + 1);
    ExtractedText result;
    if (pages != "-") {
        std::int64_t n = 0;
        auto [end, error] = std::from_chars(pages.data(), pages.data() + pages.size(), n);
        if (error != std::errc{} || end != pages.data() + pages.size() || n < 0) {
            return std::nullopt;
        }
        result.pages = n;
    }
    for (auto candidate :
         {TextStatus::extracted, TextStatus::empty, TextStatus::unsupported, TextStatus::failed}) {
        if (status == status_name(candidate)) {
            result.status = candidate;
            (candidate == TextStatus::extracted ? result.text : result.error) = rest;
            return result;
        }
    }
    return std::nullopt;
}

bool limit_this_process(const ExtractLimits& limits) {
#ifndef OAIHARVEST_SANITIZED
    // Under ASan or TSan the shadow memory alone passes any sensible limit (docs/testing.md).
    if (limits.memory_bytes > 0) {
        rlimit as{limits.memory_bytes, limits.memory_bytes};
        if (::setrlimit(RLIMIT_AS, &as) != 0) {
            return false;
        }
    }
#endif
    if (limits.cpu.count() > 0) {
        // SIGXCPU at the soft limit ends the worker; SIGKILL at the hard one if it caught it.
        const auto seconds = static_cast<rlim_t>(limits.cpu.count());
        rlimit cpu{seconds, seconds + 2};
        if (::setrlimit(RLIMIT_CPU, &cpu) != 0) {
            return false;
        }
    }
    return true;
}

}  // namespace oaiharvest::fulltext
