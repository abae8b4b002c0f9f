# Every dependency is a Debian 12 package; tools/install-deps installs them.
find_package(Threads REQUIRED)
find_package(CURL 7.88 REQUIRED)
find_package(LibXml2 2.9 REQUIRED)
find_package(SQLite3 3.40 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(tomlplusplus 3.3 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)  # sha256 of documents (EVP)
find_package(PkgConfig REQUIRED)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)  # lib/store/postgres (issue 18)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)  # lib/fulltext: PDF text
find_package(ICU REQUIRED COMPONENTS uc)  # lib/search: case, diacritics and scripts of words
if(BUILD_TESTING OR NOT DEFINED BUILD_TESTING)
  find_package(Catch2 2.13 REQUIRED)
  find_package(ZLIB REQUIRED)  # tests/fixtures/store/*.sql.gz
endif()
