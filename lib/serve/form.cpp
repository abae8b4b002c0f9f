#include "serve/form.hpp"

#include "util/url.hpp"

namespace oaiharvest::serve {
namespace {

std::string decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() &&
                   util::hex_digit_value(text[i + 1]) >= 0 &&
                   util::hex_digit_value(text[i + 2]) >= 0) {
            out += static_cast<char>(util::hex_digit_value(text[i + 1]) * 16 +
                                     util::hex_digit_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> decode_form(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!text.empty()) {
        auto amp = text.find('&');
        auto pair = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        auto eq = pair.find('=');
        out.emplace_back(decode(pair.substr(0, eq)),
                         eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1)));
    }
    return out;
}

}  // namespace oaiharvest::serve
