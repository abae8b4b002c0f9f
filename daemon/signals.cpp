#include "signals.hpp"

#include <csignal>

namespace oaiharvest::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int signal) {
    if (g_stop.exchange(true)) {
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    }
}

}  // namespace

const std::atomic<bool>& install_stop_handlers() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    return g_stop;
}

}  // namespace oaiharvest::cli
