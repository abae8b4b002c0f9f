#pragma once
// eventually(): waits for a condition that another process brings about (a daemon's log line, a
// status row). Polling is the one way to see a child process's files change; a test asserts
// on what it then reads, never on the time it took.

#include <chrono>
#include <thread>

namespace oaiharvest::test {

// Polls pred until it holds or the deadline passes; true when it held.
template <typename Pred>
bool eventually(Pred pred, std::chrono::seconds deadline = std::chrono::seconds{60}) {
    auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
        if (pred()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{25});
    }
    return pred();
}

}  // namespace oaiharvest::test
