#include <curl/curl.h>

#include "cli.hpp"

int main(int argc, char** argv) {
    // Once, before any thread: libcurl's global state is not thread-safe to set up.
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int status = oaiharvest::cli::run(argc, argv);
    curl_global_cleanup();
    return status;
}
