#include <catch2/catch.hpp>

#include "metadata/detail/values.hpp"

using namespace oaiharvest::metadata;
using namespace oaiharvest::metadata::detail;

TEST_CASE("normalize_date keeps ISO 8601 dates", "[metadata][values]") {
    CHECK(normalize_date("2026") == "2026");
    CHECK(normalize_date("2025-06") == "2025-06");
    CHECK(normalize_date("2026-01-01") == "2026-01-01");
}

TEST_CASE("normalize_date drops the time of a timestamp", "[metadata][values]") {
    CHECK(normalize_date("2026-01-01T00:00:00Z") == "2026-01-01");
    CHECK(normalize_date("2026-01-01T23:30:00-05:00") == "2026-01-01");
    CHECK(normalize_date("2026-01-01 12:00:00") == "2026-01-01");
}

TEST_CASE("normalize_date reads the other common forms", "[metadata][values]") {
    CHECK(normalize_date("2026/03/04") == "2026-03-04");
    CHECK(normalize_date("2026.03.04") == "2026-03-04");
    CHECK(normalize_date("20260304") == "2026-03-04");
    CHECK(normalize_date("04.03.2026") == "2026-03-04");
    CHECK(normalize_date("1927; ") == "1927");  // CONTENTdm
    CHECK(normalize_date("[1999]") == "1999");
    CHECK(normalize_date("June 2015") == "2015-06");
    CHECK(normalize_date("15 June 2015") == "2015-06-15");
    CHECK(normalize_date("Jun. 15, 2015") == "2015-06-15");
    CHECK(normalize_date("2015-06-00") == "2015-06");
    CHECK(normalize_date("2015-13") == "2015");
}

TEST_CASE("normalize_date keeps what it cannot read", "[metadata][values]") {
    CHECK(normalize_date("19uu") == "19uu");
    CHECK(normalize_date("Spring 2015") == "Spring 2015");
    CHECK(normalize_date("circa 1880") == "circa 1880");
    CHECK(normalize_date("2015-2016") == "2015-2016");
}

TEST_CASE("doi_of finds a DOI in its usual spellings", "[metadata][values]") {
    CHECK(doi_of("10.1016/S1473-3099(10)70008-6") == "10.1016/S1473-3099(10)70008-6");
    CHECK(doi_of("doi:10.1000/xyz") == "10.1000/xyz");
    CHECK(doi_of("https://doi.org/10.1000/xyz") == "10.1000/xyz");
    CHECK(doi_of("http://dx.doi.org/10.1000/xyz") == "10.1000/xyz");
    CHECK(doi_of("info:doi/10.1000/xyz") == "10.1000/xyz");
    CHECK(doi_of("10.1000") == std::nullopt);
    CHECK(doi_of("10.1/x") == std::nullopt);
    CHECK(doi_of("see 10.1000/xyz") == std::nullopt);
    CHECK(doi_of("https://example.org/10.1000/xyz") == std::nullopt);
}

TEST_CASE("classify_identifier tells identifiers from citations", "[metadata][values]") {
    const auto type_of = [](std::string_view text) {
        const auto id = classify_identifier(text);
        return id ? id->type : std::string("(none)");
    };
    CHECK(type_of("http://researchonline.lshtm.ac.uk/407/1/emt7-1153.pdf") == "uri");
    CHECK(type_of("https://doi.org/10.1000/xyz") == "doi");
    CHECK(type_of("10.1000/xyz") == "doi");
    CHECK(type_of("urn:nbn:de:0001-123") == "urn");
    CHECK(type_of("hdl:1765/308") == "handle");
    CHECK(type_of("978-3-16-148410-0") == "isbn");
    CHECK(type_of("ISBN 978-3-16-148410-0") == "isbn");
    CHECK(type_of("0120-6230") == "issn");
    CHECK(type_of("pga00225") == "local");
    CHECK(type_of("Nazarova, Feruza (2026) MECHANISMS FOR DEVELOPING.") == "(none)");
    CHECK(type_of("MS 3478") == "(none)");
    CHECK(classify_identifier("ISBN: 0-306-40615-2")->value == "0-306-40615-2");
}

TEST_CASE("split_name reads Family, Given", "[metadata][values]") {
    const Name n = split_name("Kevles, Daniel J.");
    CHECK(n.family == "Kevles");
    CHECK(n.given == "Daniel J.");
    CHECK(n.display == "Kevles, Daniel J.");
    CHECK_FALSE(n.affiliation);
}

TEST_CASE("split_name writes display again from the parts", "[metadata][values]") {
    CHECK(split_name("Smith,John").display == "Smith, John");
    CHECK(split_name("Smith, ").display == "Smith");
    CHECK_FALSE(split_name("Smith, ").given);
    CHECK(split_name("Smith, John, Jr.").given == "John, Jr.");
    CHECK_FALSE(split_name(" ; Universidad").display);
}

TEST_CASE("split_name keeps a name without a comma whole", "[metadata][values]") {
    const Name n = split_name("World Health Organization");
    CHECK_FALSE(n.family);
    CHECK_FALSE(n.given);
    CHECK(n.display == "World Health Organization");
}

TEST_CASE("split_name takes the OJS affiliation after a semicolon apart", "[metadata][values]") {
    const Name n = split_name("Rúa Cardona, Alex Fernando; Universidad de Antioquia");
    CHECK(n.family == "Rúa Cardona");
    CHECK(n.given == "Alex Fernando");
    CHECK(n.display == "Rúa Cardona, Alex Fernando");
    CHECK(n.affiliation == "Universidad de Antioquia");
}

TEST_CASE("add_identifier lower-cases the type, strips a DOI, skips repeats",
          "[metadata][values]") {
    Description d;
    add_identifier(d, "DOI", "https://doi.org/10.1000/xyz");
    add_identifier(d, "doi", "10.1000/xyz");
    add_identifier(d, "URI", "http://example.org/1");
    REQUIRE(d.identifiers.size() == 2);
    CHECK(d.identifiers[0].type == "doi");
    CHECK(d.identifiers[0].value == "10.1000/xyz");
    CHECK(d.identifiers[1].type == "uri");
    CHECK(d.urls ==
          std::vector<std::string>{"https://doi.org/10.1000/xyz", "http://example.org/1"});
}
