#include "harvest/page_committer.hpp"

#include <stdexcept>
#include <utility>

namespace oaiharvest::harvest::detail {

PageCommitter::PageCommitter(store::ScopeState& scope)
    : m_scope(scope), m_worker([this](std::stop_token stop) { work(std::move(stop)); }) {}

// m_worker's destructor requests stop and joins; work() takes a job handed over before it sees
// the stop request, so the page in flight still commits.
PageCommitter::~PageCommitter() = default;

void PageCommitter::submit(store::PageWriter page, const store::PageEnd& end,
                           const store::RunEvents& events) {
    {
        std::lock_guard lock(m_mutex);
        if (!idle() || m_done || m_error) {
            throw std::logic_error("PageCommitter::submit: the previous page was not collected");
        }
        m_job.emplace(Job{std::move(page), end, events});
    }
    m_changed.notify_all();
}

std::optional<store::PageCounts> PageCommitter::wait() {
    std::optional<store::PageWriter> spent;  // destroyed after the lock is released
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return idle(); });
    if (m_spent) {
        spent.emplace(std::move(*m_spent));
        m_spent.reset();
    }
    if (m_error) {
        std::exception_ptr error = std::exchange(m_error, nullptr);
        m_done.reset();
        std::rethrow_exception(error);
    }
    return std::exchange(m_done, std::nullopt);
}

void PageCommitter::wait_idle() noexcept {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return idle(); });
}

void PageCommitter::work(std::stop_token stop) {
    std::unique_lock lock(m_mutex);
    while (true) {
        // Returns false only once stop is requested and no job waits.
        if (!m_changed.wait(lock, stop, [&] { return m_job.has_value(); })) {
            return;
        }
        std::optional<Job> job(std::move(m_job));
        m_job.reset();
        m_busy = true;
        lock.unlock();

        std::optional<store::PageCounts> counts;
        std::exception_ptr error;
        try {
            job->page.commit(m_scope, job->end, job->events);
            counts = job->page.counts();
        } catch (...) {
            error = std::current_exception();
        }
        // A failed page is destroyed here, before the owner hears the committer is idle: it rolls
        // back on this thread, and the write connection is free once idle() says so.
        std::optional<store::PageWriter> spent;
        if (!error) {
            spent.emplace(std::move(job->page));
        }
        job.reset();

        lock.lock();
        if (spent) {
            m_spent.emplace(std::move(*spent));
        }
        m_busy = false;
        m_done = counts;
        m_error = error;
        m_changed.notify_all();
    }
}

}  // namespace oaiharvest::harvest::detail
