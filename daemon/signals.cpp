#include "signals.hpp"

#include <csignal>

namespace oaiharvest::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_reload{false};

extern "C" void on_stop_signal(int signal) {
    if (g_stop.exchange(true)) {
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    }
}

extern "C" void on_reload_signal(int) {
    g_reload.store(true);
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

std::atomic<bool>& install_reload_handler() {
    struct sigaction action {};
    action.sa_handler = on_reload_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &action, nullptr);
    return g_reload;
}

}  // namespace oaiharvest::cli
