#pragma once
// A Clock for tests (harvest retries, the scheduler loop): time moves only when the code under
// test sleeps (or the test advances it), and every sleep is recorded instead of waited for.
// Thread-safe, so a test may read it while a harvest runs on another thread.

#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

#include "util/clock.hpp"

namespace oaiharvest::test {

class FakeClock final : public util::Clock {
public:
    explicit FakeClock(util::UtcTime start) : m_start(start) {}

    util::UtcTime now() override {
        std::lock_guard lock(m_mutex);
        return m_start + std::chrono::floor<std::chrono::seconds>(m_elapsed);
    }
    std::chrono::milliseconds monotonic() override {
        std::lock_guard lock(m_mutex);
        return m_elapsed;
    }
    void sleep_for(std::chrono::milliseconds duration) override {
        std::function<void()> hook;
        {
            std::lock_guard lock(m_mutex);
            m_sleeps.push_back(duration);
            m_elapsed += duration;
            hook = m_on_sleep;
        }
        if (hook) {
            hook();
        }
    }

    // Called after each sleep, on the sleeping thread: what the world does meanwhile (a stop
    // signal at some time, say).
    void on_sleep(std::function<void()> hook) {
        std::lock_guard lock(m_mutex);
        m_on_sleep = std::move(hook);
    }

    // Moves time on without a sleep (a day passing between two harvests, say).
    void advance(std::chrono::milliseconds duration) {
        std::lock_guard lock(m_mutex);
        m_elapsed += duration;
    }
    std::vector<std::chrono::milliseconds> sleeps() const {
        std::lock_guard lock(m_mutex);
        return m_sleeps;
    }
    void forget_sleeps() {
        std::lock_guard lock(m_mutex);
        m_sleeps.clear();
    }

private:
    mutable std::mutex m_mutex;
    util::UtcTime m_start;
    std::chrono::milliseconds m_elapsed{0};
    std::vector<std::chrono::milliseconds> m_sleeps;
    std::function<void()> m_on_sleep;
};

}  // namespace oaiharvest::test
