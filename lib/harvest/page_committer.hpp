#pragma once
// Commits a scope's pages on a thread of its own, so that the next page downloads and is read
// while the previous one is written (docs/performance.md, proposal 3). Internal to lib/harvest.
//
// At most one page is in flight, and pages commit in the order they are handed over. From
// construction to destruction the committer owns the Store's write connection and the
// ScopeState it is given: the owning thread may use either only while the committer is idle
// (after wait() or wait_idle(), until the next submit()). PageWriter::is_unchanged() and a held
// put() need neither (the store reads for them on a connection of their own), which is what lets
// pages overlap; the records are normalized on the owning thread (harvest/normalize.hpp).
// All members are called by the one owning thread.

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "store/store.hpp"

namespace oaiharvest::harvest::detail {

class PageCommitter {
public:
    // `scope` is updated by each commit, as PageWriter::commit does; it must outlive the
    // committer.
    explicit PageCommitter(store::ScopeState& scope);
    // Lets the page in flight commit, then ends the thread: a page handed over is committed,
    // even when the scope ends by an exception, just as when commits were synchronous. A
    // failure of that last commit is dropped (a destructor must not throw; nothing is
    // half-written).
    ~PageCommitter();
    PageCommitter(const PageCommitter&) = delete;
    PageCommitter& operator=(const PageCommitter&) = delete;
    PageCommitter(PageCommitter&&) = delete;
    PageCommitter& operator=(PageCommitter&&) = delete;

    // Hands the page over to commit with its end and the run's events, and returns at once.
    // The previous page must have been collected with wait(): throws std::logic_error if not.
    void submit(store::PageWriter page, const store::PageEnd& end, const store::RunEvents& events);

    // Waits until no page is in flight. Returns the counts of the page committed since the last
    // wait(), nullopt when there is none; rethrows the exception its commit failed with (the
    // page then rolled back and is forgotten).
    std::optional<store::PageCounts> wait();

    // Waits like wait() but neither throws nor collects: for PageWriter's write-through hook,
    // which runs inside the XML reader's callbacks. A failure waits for the next wait().
    void wait_idle() noexcept;

private:
    struct Job {
        store::PageWriter page;
        store::PageEnd end;
        store::RunEvents events;
    };
    void work(std::stop_token stop);
    bool idle() const { return !m_job && !m_busy; }

    store::ScopeState& m_scope;  // written by the worker only while it commits
    std::mutex m_mutex;
    std::condition_variable_any m_changed;    // a job arrived, or one finished
    std::optional<Job> m_job;                 // handed over, not yet taken
    bool m_busy = false;                      // taken, not yet finished
    std::optional<store::PageCounts> m_done;  // committed, not yet collected
    std::exception_ptr m_error;               // failed, not yet rethrown
    // A committed page, destroyed by wait() on the owning thread, which allocated its records:
    // freed on the worker, each record took glibc's arena lock of the owning thread.
    std::optional<store::PageWriter> m_spent;
    std::jthread m_worker;  // last: it starts once the members above exist, and stops first
};

}  // namespace oaiharvest::harvest::detail
