#include "search/search_key.hpp"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uversion.h>

#include <array>

#include "util/utf8.hpp"

namespace oaiharvest::search {
namespace {

// Raised whenever a change here gives some word another key.
constexpr int k_key_rules = 1;

// A reader's word is rarely longer; a longer run (a hash, a URL without separators, hostile
// input) is cut at the same place on both sides, so it still matches itself.
constexpr std::size_t k_max_key_bytes = 128;

// The marks readers and records use for the Uzbek Latin o‘ and g‘ and the tutuq belgisi, and
// that keyboards put in their place: inside a word they are dropped, not a word's end.
bool is_apostrophe(char32_t c) {
    switch (c) {
        case U'\'':
        case U'`':
        case U'\u00B4':  // acute accent
        case U'\u02B9':  // modifier prime (the soft sign in some romanizations)
        case U'\u02BB':  // modifier turned comma: the official oʻ
        case U'\u02BC':  // modifier apostrophe
        case U'\u02BD':
        case U'\u02BF':
        case U'\u2018':
        case U'\u2019':
        case U'\u201B':
        case U'\u2032':  // prime
            return true;
        default:
            return false;
    }
}

bool is_word_character(char32_t c) {
    if (c < 0x80) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
    if (is_apostrophe(c)) {
        return false;  // ʻ and ʼ are letters to Unicode (Lm), apostrophes to readers
    }
    switch (u_charType(static_cast<UChar32>(c))) {
        case U_UPPERCASE_LETTER:
        case U_LOWERCASE_LETTER:
        case U_TITLECASE_LETTER:
        case U_MODIFIER_LETTER:
        case U_OTHER_LETTER:
        case U_NON_SPACING_MARK:
        case U_ENCLOSING_MARK:
        case U_COMBINING_SPACING_MARK:
        case U_DECIMAL_DIGIT_NUMBER:
        case U_LETTER_NUMBER:
        case U_OTHER_NUMBER:
            return true;
        default:
            return false;
    }
}

bool is_cyrillic(char32_t c) {
    return c >= 0x400 && c <= 0x52F;
}

bool is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// The Latin of a lower-case Cyrillic letter; nullptr for one this table does not know (it is
// then decomposed, or kept as it is). Uzbek Latin where Uzbek has the letter; for the letters
// of Kazakh, Kyrgyz and Tajik, the Latin letter their readers type without diacritics.
const char* latin_of(char32_t c) {
    // а б в г д е ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я
    static constexpr std::array<const char*, 32> basic = {
        "a", "b", "v", "g", "d", "e", "j",  "z",  "i",  "y",    "k", "l", "m", "n", "o",  "p",
        "r", "s", "t", "u", "f", "x", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "yu", "ya"};
    if (c >= 0x430 && c <= 0x44F) {
        return basic[c - 0x430];
    }
    switch (c) {
        case 0x450:
            return "e";  // ѐ
        case 0x451:
            return "yo";  // ё
        case 0x454:
            return "ye";  // є
        case 0x456:
            return "i";  // і (Kazakh, Ukrainian)
        case 0x457:
            return "yi";  // ї
        case 0x458:
            return "j";  // ј
        case 0x45E:
            return "o";  // ў: Uzbek oʻ
        case 0x493:
            return "g";  // ғ: Uzbek gʻ, Kazakh, Tajik
        case 0x495:
            return "g";  // ҕ
        case 0x497:
            return "j";  // җ
        case 0x499:
            return "z";  // ҙ
        case 0x49B:
            return "q";  // қ
        case 0x49D:
            return "k";  // ҝ
        case 0x4A1:
            return "q";  // ҡ
        case 0x4A3:
            return "n";  // ң (Kazakh Latin ñ)
        case 0x4A5:
            return "n";  // ҥ
        case 0x4AB:
            return "s";  // ҫ
        case 0x4AF:
            return "u";  // ү
        case 0x4B1:
            return "u";  // ұ
        case 0x4B3:
            return "h";  // ҳ
        case 0x4B7:
            return "j";  // ҷ
        case 0x4B9:
            return "ch";  // ҹ
        case 0x4BB:
            return "h";  // һ
        case 0x4CF:
            return "";  // ӏ (palochka)
        case 0x4D9:
            return "a";  // ә
        case 0x4E3:
            return "i";  // ӣ
        case 0x4E9:
            return "o";  // ө
        case 0x4EF:
            return "u";  // ӯ
        default:
            return nullptr;
    }
}

// Latin letters whose diacritic readers type as a second letter, or that do not decompose.
const char* latin_special(char32_t c) {
    switch (c) {
        case 0xDF:
            return "ss";  // ß
        case 0xE6:
            return "ae";  // æ
        case 0xF0:
            return "d";  // ð
        case 0xF8:
            return "o";  // ø
        case 0xFE:
            return "th";  // þ
        case 0xE7:
            return "ch";  // ç (Turkmen, Azerbaijani, Turkish)
        case 0x111:
            return "d";  // đ
        case 0x131:
            return "i";  // ı
        case 0x142:
            return "l";  // ł
        case 0x153:
            return "oe";  // œ
        case 0x15F:
            return "sh";  // ş (Kazakh 2021, Turkmen, Azerbaijani)
        case 0x219:
            return "sh";  // ș
        default:
            return nullptr;
    }
}

const UNormalizer2* decomposition() {
    static const UNormalizer2* nfd = [] {
        UErrorCode status = U_ZERO_ERROR;
        const UNormalizer2* n = unorm2_getNFDInstance(&status);
        return U_SUCCESS(status) ? n : nullptr;
    }();
    return nfd;
}

bool is_mark(char32_t c) {
    auto type = u_charType(static_cast<UChar32>(c));
    return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
           type == U_COMBINING_SPACING_MARK;
}

void append_letter(std::string& key, bool& cyrillic, char32_t c);

// The base letters of c's canonical decomposition, each folded in turn; false if c has none.
bool append_decomposed(std::string& key, bool& cyrillic, char32_t c) {
    const UNormalizer2* nfd = decomposition();
    if (!nfd) {
        return false;
    }
    std::array<UChar, 16> parts{};
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = unorm2_getDecomposition(nfd, static_cast<UChar32>(c), parts.data(),
                                        static_cast<int32_t>(parts.size()), &status);
    if (U_FAILURE(status) || n <= 0) {
        return false;
    }
    for (int32_t i = 0; i < n;) {
        UChar32 part = 0;
        U16_NEXT(parts.data(), i, n, part);
        if (static_cast<char32_t>(part) != c) {
            append_letter(key, cyrillic, static_cast<char32_t>(part));
        }
    }
    return true;
}

void append_letter(std::string& key, bool& cyrillic, char32_t c) {
    if (c < 0x80) {
        key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        return;
    }
    if (is_mark(c)) {
        return;
    }
    c = static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT));
    if (is_cyrillic(c)) {
        cyrillic = true;
        // е is ye at a word's start and after a vowel, as Uzbek Latin (Yevropa, Alekseyev) and
        // English texts write it.
        if (c == 0x435 && (key.empty() || is_vowel(key.back()))) {
            key += "ye";
            return;
        }
        if (const char* latin = latin_of(c)) {
            key += latin;
            return;
        }
    } else if (const char* latin = latin_special(c)) {
        key += latin;
        return;
    }
    if (!append_decomposed(key, cyrillic, c)) {
        util::append_utf8(c, key);
    }
}

// Russian-style romanization meets Uzbek Latin and the Cyrillic table: kh is x (Khasanov,
// Xasanov, Хасанов) and zh is j (Zhukov, Жуков). Only digraphs that English words hardly
// have: folding x and h, or ye and e, would make "ear" find "year".
void fold_spelling(std::string& key) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < key.size(); ++i, ++out) {
        const char next = i + 1 < key.size() ? key[i + 1] : '\0';
        if (key[i] == 'k' && next == 'h') {
            key[out] = 'x';
            ++i;
        } else if (key[i] == 'z' && next == 'h') {
            key[out] = 'j';
            ++i;
        } else {
            key[out] = key[i];
        }
    }
    key.resize(out);
}

// French and Italian elided articles (l’, d’, qu’, dell’ …): the word after the apostrophe is a
// word of its own, as it was to SQLite's tokenizer. Uzbek o‘ and g‘ are never among them.
bool is_elided_article(std::string_view key) {
    for (std::string_view article :
         {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "dell", "all", "nell", "sull", "dall"}) {
        if (key == article) {
            return true;
        }
    }
    return false;
}

// Cuts a key to its limit at a character's start.
void cap(std::string& key) {
    if (key.size() <= k_max_key_bytes) {
        return;
    }
    std::size_t end = k_max_key_bytes;
    while (end > 0 && (static_cast<unsigned char>(key[end]) & 0xC0) == 0x80) {
        --end;
    }
    key.resize(end);
}

// c with the combining marks after text[at] composed into it, as far as Unicode has composed
// letters for them; `at` moves past the marks taken. Marks left over are dropped by
// append_letter.
char32_t compose_marks(std::string_view text, char32_t c, std::size_t& at) {
    static const UNormalizer2* nfc = [] {
        UErrorCode status = U_ZERO_ERROR;
        const UNormalizer2* n = unorm2_getNFCInstance(&status);
        return U_SUCCESS(status) ? n : nullptr;
    }();
    if (!nfc || is_mark(c)) {
        return c;
    }
    while (at < text.size()) {
        const auto next = util::read_utf8(text, at);
        if (next.kind != util::Utf8Sequence::Kind::valid || !is_mark(next.code_point)) {
            break;
        }
        const UChar32 composed =
            unorm2_composePair(nfc, static_cast<UChar32>(c), static_cast<UChar32>(next.code_point));
        if (composed < 0) {
            break;
        }
        c = static_cast<char32_t>(composed);
        at += next.length;
    }
    return c;
}

}  // namespace

void for_each_word(std::string_view text, const std::function<void(const SearchWord&)>& visit) {
    SearchWord word;
    std::string key;
    bool in_word = false;
    auto finish = [&] {
        if (!in_word) {
            return;
        }
        in_word = false;
        fold_spelling(key);
        if (key.empty()) {
            return;  // a word of marks and soft signs alone
        }
        // Assigned, not made anew: a harvest keys every word of every record.
        word.key.clear();
        if (word.cyrillic) {
            word.key += k_cyrillic_mark;
        }
        word.key += key;
        cap(word.key);
        visit(word);
        key.clear();
    };
    std::size_t i = 0;
    while (i < text.size()) {
        const auto seq = util::read_utf8(text, i);
        if (seq.kind != util::Utf8Sequence::Kind::valid) {
            finish();
            i += seq.length;
            continue;
        }
        const char32_t c = seq.code_point;
        if (is_word_character(c)) {
            if (!in_word) {
                in_word = true;
                word.begin = i;
                word.cyrillic = false;
            }
            i += seq.length;
            // A letter written decomposed (У + U+0306, e + U+0301) is composed first, so that it
            // has the key of the letter typed whole (ў is o, not u).
            const char32_t letter = compose_marks(text, c, i);
            if (key.size() < k_max_key_bytes * 2) {
                append_letter(key, word.cyrillic, letter);
            }
            word.end = i;
            continue;
        }
        if (in_word && is_apostrophe(c)) {
            // Inside a word only: followed by a letter, as in qo‘llanilishi or ma’no. An
            // English possessive ('s at a word's end) is not part of the word.
            const std::size_t next = i + seq.length;
            if (next < text.size()) {
                const auto after = util::read_utf8(text, next);
                const bool possessive =
                    (text[next] == 's' || text[next] == 'S') &&
                    (next + 1 == text.size() ||
                     !is_word_character(util::read_utf8(text, next + 1).code_point));
                if (possessive) {
                    finish();
                    i = next + 1;
                    continue;
                }
                if (!word.cyrillic && is_elided_article(key)) {
                    finish();
                    i = next;
                    continue;
                }
                if (after.kind == util::Utf8Sequence::Kind::valid &&
                    is_word_character(after.code_point)) {
                    i = next;
                    continue;
                }
            }
        }
        finish();
        i += seq.length;
    }
    finish();
}

std::string key_version() {
    UVersionInfo unicode{};
    u_getUnicodeVersion(unicode);
    std::array<char, U_MAX_VERSION_STRING_LENGTH> text{};
    u_versionToString(unicode, text.data());
    return "rules " + std::to_string(k_key_rules) + ", Unicode " + text.data();
}

std::string other_script_key(const SearchWord& word) {
    if (word.cyrillic) {
        return word.key.substr(1);
    }
    bool has_letter = false;
    for (char c : word.key) {
        if (c >= 'a' && c <= 'z') {
            has_letter = true;
        } else if (c < '0' || c > '9') {
            return {};
        }
    }
    return has_letter ? k_cyrillic_mark + word.key : std::string{};
}

}  // namespace oaiharvest::search
