#pragma once
// What `oaiharvest --version` prints: the version, and the libcurl, libxml2 and SQLite the
// process runs with (the shared libraries loaded, which may be newer than the headers it was
// built with). Any thread; reads only the libraries' static version data.

#include <string>

namespace oaiharvest::cli {

// Four lines, separated by "\n" (none after the last): "oaiharvest 0.1.0", "libcurl 7.88.1
// (OpenSSL/3.0.15)", "libxml2 2.9.14", "SQLite 3.40.1". A library that cannot say is shown as
// "unknown".
std::string version_text();

}  // namespace oaiharvest::cli
