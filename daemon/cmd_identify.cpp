#include <CLI/CLI.hpp>
#include <iostream>

#include "cli.hpp"
#include "context.hpp"
#include "util/clock.hpp"
#include "util/safe_text.hpp"
#include "util/url.hpp"

namespace oaiharvest::cli {
namespace {

int run_identify(const GlobalOptions& global, const std::string& url) {
    if (auto problem = util::http_url_problem(url); !problem.empty()) {
        throw UsageError("\"" + util::printable(util::redact_credentials(url)) + "\": " + problem);
    }
    auto fetcher = http::make_curl_fetcher(fetch_options(global));
    util::SystemClock clock;
    auto policy = retry_policy(global);
    policy.retries = std::min(policy.retries, 2);  // someone is waiting at the terminal
    auto described = harvest::describe_endpoint(*fetcher, clock, policy, url);
    if (!described) {
        std::cerr << "oaiharvest: " << util::printable(described.error()) << "\n";
        return k_work_failed;
    }
    const auto& info = described->info;
    // Every field is the server's text: printed as printable() makes it.
    auto or_unknown = [](const std::string& s) {
        return s.empty() ? std::string("?") : util::printable(s);
    };
    std::cout << "Repository:         " << or_unknown(info.repository_name) << "\n"
              << "Base URL:           " << or_unknown(info.base_url) << "\n"
              << "Protocol version:   " << or_unknown(info.protocol_version) << "\n"
              << "Granularity:        " << or_unknown(info.granularity) << "\n"
              << "Earliest datestamp: " << or_unknown(info.earliest_datestamp) << "\n"
              << "Deleted records:    " << or_unknown(info.deleted_record) << "\n";
    for (const auto& email : info.admin_emails) {
        std::cout << "Admin email:        " << util::printable(email) << "\n";
    }
    std::cout << "Metadata formats:  ";
    for (const auto& format : described->formats) {
        std::cout << " " << util::printable(format.prefix);
    }
    std::cout << "\nSets:               "
              << (described->sets_supported ? std::to_string(described->set_count)
                                            : std::string("none (noSetHierarchy)"))
              << "\n";
    return k_ok;
}

}  // namespace

Runner add_identify(CLI::App& app, const GlobalOptions& global) {
    auto url = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand(
        "identify", "Identify, ListMetadataFormats and ListSets of an endpoint; writes nothing");
    cmd->add_option("url", *url, "the endpoint's base URL")->required();
    return [&global, url] { return run_identify(global, *url); };
}

}  // namespace oaiharvest::cli
