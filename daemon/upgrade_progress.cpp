#include "upgrade_progress.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>

namespace oaiharvest::cli {

store::UpgradeObserver upgrade_progress(const std::string& db_path) {
    struct State {
        std::string step;
        std::chrono::steady_clock::time_point drawn{};
        bool terminal = ::isatty(STDERR_FILENO) == 1;
    };
    auto state = std::make_shared<State>();
    return [state, db_path](const store::UpgradeProgress& p) {
        if (p.step.starts_with("could not")) {
            spdlog::warn("{}", p.step);
            return;
        }
        const bool new_step = p.step != state->step;
        const bool finished = p.done >= p.total;
        if (!state->terminal) {
            if (new_step && p.step == "reclaiming space") {
                spdlog::info("upgrading {}: reclaiming space", db_path);
            } else if (new_step) {
                spdlog::info("upgrading {}: {} ({} records)", db_path, p.step, p.total);
            }
            state->step = p.step;
            return;
        }
        // Redrawn at most ten times a second: a big mirror reports every 2,000 records.
        const auto now = std::chrono::steady_clock::now();
        if (!new_step && !finished && now - state->drawn < std::chrono::milliseconds(100)) {
            return;
        }
        state->drawn = now;
        if (new_step && !state->step.empty()) {
            std::fputc('\n', stderr);
        }
        state->step = p.step;
        if (p.step == "reclaiming space") {
            std::fprintf(stderr, "\rupgrading %s: reclaiming space%s", db_path.c_str(),
                         finished ? ", done\n" : "...");
        } else {
            std::fprintf(stderr, "\rupgrading %s: %s %lld of %lld", db_path.c_str(), p.step.c_str(),
                         static_cast<long long>(p.done), static_cast<long long>(p.total));
        }
        std::fflush(stderr);
    };
}

}  // namespace oaiharvest::cli
