#include "signals.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>

namespace oaiharvest::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_stop_signals{0};
std::atomic<bool> g_reload{false};
// The self-pipe: the handler writes a byte and nobody reads it, so the read end stays readable.
int g_wake[2] = {-1, -1};

constexpr int k_signals_before_kill = 3;

extern "C" void on_stop_signal(int signal) {
    g_stop.store(true);
    if (g_wake[1] >= 0) {
        const char byte = 1;
        // Full (EAGAIN) means readable already; nothing else can be done in a handler.
        [[maybe_unused]] auto written = ::write(g_wake[1], &byte, 1);
    }
    if (g_stop_signals.fetch_add(1) + 1 >= k_signals_before_kill) {
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    }
}

extern "C" void on_reload_signal(int) {
    g_reload.store(true);
}

void make_wake_pipe() {
    if (g_wake[0] >= 0 || ::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) == 0) {
        return;
    }
    g_wake[0] = g_wake[1] = -1;  // waits then look at the flag now and then instead
}

}  // namespace

const std::atomic<bool>& install_stop_handlers() {
    make_wake_pipe();
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    return g_stop;
}

int stop_wake_fd() {
    return g_wake[0];
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
