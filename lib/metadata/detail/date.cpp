// Dates as repositories write them, read into ISO 8601.

#include <array>
#include <string>
#include <string_view>

#include "metadata/detail/values.hpp"
#include "metadata/detail/xml.hpp"
#include "util/ascii.hpp"

namespace oaiharvest::metadata::detail {
namespace {

// The number in text[pos, pos + n) when all n are digits; -1 otherwise.
int digits(std::string_view text, std::size_t pos, std::size_t n) {
    if (pos + n > text.size()) {
        return -1;
    }
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!util::is_ascii_digit(text[i])) {
            return -1;
        }
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

void append_padded(std::string& out, int value, int width) {
    char buf[8];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
}

// "YYYY-MM-DD" cut down to what is valid: a month 01-12, a day 01-31.
std::string ymd(int year, int month, int day) {
    std::string out;
    append_padded(out, year, 4);
    if (month >= 1 && month <= 12) {
        out += '-';
        append_padded(out, month, 2);
        if (day >= 1 && day <= 31) {
            out += '-';
            append_padded(out, day, 2);
        }
    }
    return out;
}

int month_number(std::string_view word) {
    static constexpr std::array<std::string_view, 12> k_months = {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (word.size() < 3) {
        return 0;
    }
    for (std::size_t i = 0; i < k_months.size(); ++i) {
        if (iequals(word.substr(0, 3), k_months[i])) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

// "June 2015", "15 June 2015", "June 15, 2015", "2015 Jun": English words, which repositories
// write when the date was typed by hand. Returns empty for anything else.
std::string from_words(std::string_view text) {
    int year = 0;
    int month = 0;
    int day = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '.')) {
            ++i;
        }
        std::size_t end = i;
        while (end < text.size() && text[end] != ' ' && text[end] != ',' && text[end] != '.') {
            ++end;
        }
        const auto word = text.substr(i, end - i);
        if (word.empty()) {
            break;
        }
        if (word.size() == 4 && digits(word, 0, 4) >= 0 && year == 0) {
            year = digits(word, 0, 4);
        } else if (word.size() <= 2 && digits(word, 0, word.size()) > 0 && day == 0) {
            day = digits(word, 0, word.size());
        } else if (const int m = month_number(word); m != 0 && month == 0 && word.size() <= 9) {
            month = m;
        } else {
            return {};
        }
        i = end;
    }
    if (year == 0 || month == 0) {
        return {};
    }
    return ymd(year, month, day == 0 ? -1 : day);
}

}  // namespace

std::string normalize_date(std::string_view text) {
    std::string_view s = trim(text);
    while (!s.empty() && (s.back() == ';' || s.back() == ',' || s.back() == '.')) {
        s = trim(s.substr(0, s.size() - 1));
    }
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') {
        s = trim(s.substr(1, s.size() - 2));
    }
    const int year = digits(s, 0, 4);
    if (year >= 0 && (s.size() == 4 || (s.size() > 4 && !util::is_ascii_digit(s[4])))) {
        const char sep = s.size() > 4 ? s[4] : '\0';
        if (s.size() == 4) {
            return std::string(s);
        }
        if ((sep == '-' || sep == '/' || sep == '.') && s.size() >= 7) {
            const int month = digits(s, 5, 2);
            if (month >= 0 && s.size() == 7) {
                return ymd(year, month, -1);
            }
            const int day = digits(s, 8, 2);
            if (month >= 0 && s[7] == sep && day >= 0 &&
                (s.size() == 10 || s[10] == 'T' || s[10] == ' ')) {
                return ymd(year, month, day);
            }
        }
    }
    if (s.size() == 8 && year >= 0 && digits(s, 4, 4) >= 0) {
        return ymd(year, digits(s, 4, 2), digits(s, 6, 2));
    }
    if (s.size() == 10 && s[2] == '.' && s[5] == '.' && digits(s, 6, 4) >= 0 &&
        digits(s, 0, 2) >= 0 && digits(s, 3, 2) >= 0) {
        return ymd(digits(s, 6, 4), digits(s, 3, 2), digits(s, 0, 2));
    }
    if (auto words = from_words(s); !words.empty()) {
        return words;
    }
    return std::string(trim(text));
}

}  // namespace oaiharvest::metadata::detail
