#include "sample/detail/corpus.hpp"

#include <array>

namespace oaiharvest::sample::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array k_titles = {
    "Regional cooperation in Central Asia: problems & prospects"sv,
    "Water diplomacy in the Fergana Valley"sv,
    "Digital transformation of higher education in Kazakhstan"sv,
    "Проблемы и перспективы высшего образования в Республике Узбекистан"sv,
    "Механизмы развития сельского хозяйства в Центральной Азии"sv,
    "Цифровая трансформация экономики в странах СНГ"sv,
    "Туризм соҳасида халқаро ҳамкорлик истиқболлари"sv,
    "Ўзбекистонда фуқаролик жамиятини ривожлантириш масалалари"sv,
    "Markaziy Osiyoda fuqarolik jamiyati: muammo va yechimlar"sv,
    "O‘zbekistonda ta’lim tizimini isloh qilishning dolzarb masalalari"sv,
    "Oʻzbekiston qishloq xoʻjaligida suv resurslaridan foydalanish"sv,
    "Кыргызстандагы билим берүү системасынын өнүгүшү"sv,
    "Көп тилдүү билим берүүнүн маселелери"sv,
    "Түштүк Кыргызстандагы жаңы технологиялар"sv,
    "Масъалаҳои ҳамкории минтақавӣ дар Осиёи Марказӣ"sv,
    "Рушди иқтисодиёти рақамӣ дар Ҷумҳурии Тоҷикистон"sv,
    "Нақши рӯзномаҳо дар ҷомеаи муосири тоҷик"sv,
    "Ғояҳои маърифатпарварӣ дар адабиёти тоҷик"sv,
    "Қазақстандағы цифрлық білім беру: тәжірибе мен болашақ"sv,
    "Labour migration from Tajikistan to Russia <2010–2024>"sv,
    "Civil society in Uzbekistan: problems & prospects"sv,
    "Языковая политика в государствах Центральной Азии"sv,
};

constexpr std::array k_sentences = {
    "This article analyses the institutional and legal framework of regional cooperation in Central Asia."sv,
    "The findings show that people-to-people diplomacy & academic exchange reduce conflict risk (p < 0.05)."sv,
    "Methodologically, the study combines qualitative document analysis with comparative case studies."sv,
    "В статье рассматриваются вопросы развития регионального сотрудничества стран Центральной Азии."sv,
    "Результаты исследования могут быть использованы при разработке государственных программ."sv,
    "Мақолада Марказий Осиё давлатлари ўртасидаги ҳамкорлик масалалари таҳлил қилинган."sv,
    "Maqolada Markaziy Osiyo davlatlari o‘rtasidagi hamkorlik masalalari tahlil qilingan."sv,
    "Tadqiqot natijalari davlat dasturlarini ishlab chiqishda qoʻllanilishi mumkin."sv,
    "Макалада Кыргызстандагы жогорку окуу жайлардын өнүгүү көйгөйлөрү каралат."sv,
    "Изилдөөнүн жыйынтыктары мамлекеттик программаларды түзүүдө колдонулушу мүмкүн."sv,
    "Дар мақола масъалаҳои ҳамкории иқтисодии Тоҷикистон бо кишварҳои ҳамсоя баррасӣ шудаанд."sv,
    "Натиҷаҳои таҳқиқот барои рушди соҳаи маориф аҳамияти калон доранд."sv,
    "Мақалада Қазақстанның сыртқы саясатының негізгі бағыттары қарастырылады."sv,
};

// The seed record (record 1) is the only one by a Nazarova (Назарова) and the only one on
// "cultural diplomacy": a search for either must find it first, so neither is in these pools.
constexpr std::array k_uz_latin_given = {"Feruza"sv, "Bobur"sv,   "Dilnoza"sv,  "Jasur"sv,
                                         "Malika"sv, "Sherzod"sv, "Ulug‘bek"sv, "Oʻktam"sv};
constexpr std::array k_uz_latin_family = {"Rashidova"sv, "Yusupov"sv,    "Qodirova"sv,
                                          "G‘ofurova"sv, "O‘rinboyev"sv, "Jo‘rayeva"sv,
                                          "Toʻxtayev"sv, "Ergashev"sv};
constexpr std::array k_uz_cyrillic_given = {"Сардор"sv, "Зилола"sv,  "Ўлмас"sv,
                                            "Ғайрат"sv, "Шаҳноза"sv, "Отабек"sv};
constexpr std::array k_uz_cyrillic_family = {"Рашидова"sv,   "Каримов"sv,   "Жўраева"sv,
                                             "Бекмуродов"sv, "Турсунова"sv, "Қодиров"sv};
constexpr std::array k_kyrgyz_given = {"Айгүл"sv,   "Нурлан"sv, "Бактыгүл"sv,
                                       "Төлөгөн"sv, "Үмүт"sv,   "Жаңыл"sv};
constexpr std::array k_kyrgyz_family = {"Өмүрбеков"sv, "Түгөлбаева"sv, "Асанов"sv,
                                        "Жумабаева"sv, "Сыдыков"sv,    "Ниязбекова"sv};
constexpr std::array k_tajik_given = {"Фирӯза"sv, "Ҷамшед"sv, "Зарина"sv,
                                      "Қодир"sv,  "Нигина"sv, "Ҳусейн"sv};
constexpr std::array k_tajik_family = {"Раҳимов"sv,  "Қурбонова"sv, "Ҷӯраев"sv,
                                       "Ғафурова"sv, "Шарифӣ"sv,    "Назарзода"sv};
constexpr std::array k_russian_given = {"Ирина"sv,  "Алексей"sv, "Наталья"sv,
                                        "Сергей"sv, "Ольга"sv,   "Дмитрий"sv};
constexpr std::array k_russian_family = {"Иванова"sv,  "Петров"sv,   "Смирнова"sv,
                                         "Кузнецов"sv, "Соколова"sv, "Попов"sv};

const std::array k_name_pools = {
    NamePool{k_uz_latin_given, k_uz_latin_family},
    NamePool{k_uz_cyrillic_given, k_uz_cyrillic_family},
    NamePool{k_kyrgyz_given, k_kyrgyz_family},
    NamePool{k_tajik_given, k_tajik_family},
    NamePool{k_russian_given, k_russian_family},
};

constexpr std::array k_subjects = {
    Subject{"J", "J Political Science", "JZ", "JZ International relations"},
    Subject{"J", "J Political Science", "JA", "JA Political science (General)"},
    Subject{"D", "D History General and Old World", "DS", "DS Asia"},
    Subject{"D", "D History General and Old World", "DK",
            "DK Russia. Soviet Union. Former Soviet Republics"},
    Subject{"H", "H Social Sciences", "HD", "HD Industries. Land use. Labor"},
    Subject{"H", "H Social Sciences", "HC", "HC Economic History and Conditions"},
    Subject{"K", "K Law", "K1", "K Law (General)"},
    Subject{"L", "L Education", "LB", "LB Theory and practice of education"},
    Subject{"P", "P Language and Literature", "PG",
            "PG Slavic, Baltic, Albanian languages and literature"},
    Subject{"P", "P Language and Literature", "PK", "PK Indo-Iranian"},
    Subject{"S", "S Agriculture", "S1", "S Agriculture (General)"},
    Subject{"G", "G Geography. Anthropology. Recreation", "GF",
            "GF Human ecology. Anthropogeography"},
};

constexpr std::array k_publishers = {
    "O‘zbekiston Milliy universiteti nashriyoti"sv,
    "Kazakh National University Press"sv,
    "Tashkent State University of Economics"sv,
    "Scientific Progress & Innovation Ltd."sv,
    "Илм ва фан"sv,
    "Кыргыз Улуттук университетинин басмасы"sv,
    "Нашриёти Донишгоҳи миллии Тоҷикистон"sv,
};

constexpr std::array k_journals = {
    Journal{"O‘zbekiston iqtisodiy axborotnomasi", "2181-6442"},
    Journal{"Journal of Central Asian Studies", "2181-2586"},
    Journal{"Central Asian Journal of Social Sciences and History", "2181-7381"},
    Journal{"Вестник Таджикского национального университета", "2413-5151"},
    Journal{"Кыргыз Республикасынын Илимдер академиясынын кабарлары", "1694-7398"},
};

}  // namespace

std::span<const std::string_view> titles() {
    return k_titles;
}
std::span<const std::string_view> abstract_sentences() {
    return k_sentences;
}
std::span<const NamePool> name_pools() {
    return k_name_pools;
}
std::span<const Subject> subjects() {
    return k_subjects;
}
std::span<const std::string_view> publishers() {
    return k_publishers;
}
std::span<const Journal> journals() {
    return k_journals;
}

}  // namespace oaiharvest::sample::detail
