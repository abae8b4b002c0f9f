#include "store/checkpoints.hpp"

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/sqlite.hpp"

namespace oaiharvest::store {

struct BackgroundCheckpoints::Impl {
    Impl(sqlite3* writer_handle, const std::string& path, int start_frames)
        : writer(writer_handle), own(path, sql::Database::Mode::read_write), start(start_frames) {}

    // The store's write connection calls this after each commit, with the WAL's size in frames.
    static int on_commit(void* context, sqlite3* db, const char* /*schema*/, int frames) {
        auto* self = static_cast<Impl*>(context);
        if (frames >= 2 * self->start) {
            // The thread is behind: copy here, as SQLite's own checkpoint would have. SQLite
            // never waits for another checkpoint to end, so wait for the thread's pass first:
            // the copy then reaches the end of the WAL, and the next page restarts it.
            std::lock_guard copying(self->checkpointing);
            {
                // Done here: a pass of the thread now would copy nothing, and could hold the
                // locks the next page needs to restart the WAL.
                std::lock_guard lock(self->mutex);
                self->due = false;
            }
            sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        } else if (frames >= self->start) {
            {
                std::lock_guard lock(self->mutex);
                self->due = true;
            }
            self->wake.notify_one();
        }
        return SQLITE_OK;
    }

    void work(const std::stop_token& stop) {
        std::unique_lock lock(mutex);
        while (wake.wait(lock, stop, [&] { return due; })) {
            due = false;
            lock.unlock();
            // Copies what was committed when it started. A failure (another checkpoint running,
            // say) is left to the next commit, which asks again while the WAL stays large.
            {
                std::lock_guard copying(checkpointing);
                sqlite3_wal_checkpoint_v2(own.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                          nullptr);
            }
            runs.fetch_add(1, std::memory_order_relaxed);
            lock.lock();
        }
    }

    sqlite3* writer;
    sql::Database own;
    int start;
    std::mutex mutex;          // guards due
    std::mutex checkpointing;  // held while either connection checkpoints
    std::condition_variable_any wake;
    bool due = false;
    std::atomic<long> runs{0};
    std::jthread thread;  // last: started once the rest exists, stopped first
};

BackgroundCheckpoints::BackgroundCheckpoints(Store& store, int frames) {
    try {
        m_impl = std::make_unique<Impl>(store.database().handle(), store.path(), frames);
    } catch (const sql::Error&) {
        return;  // no second connection: the store keeps checkpointing by itself
    }
    m_impl->thread =
        std::jthread([impl = m_impl.get()](std::stop_token stop) { impl->work(stop); });
    // Replaces SQLite's automatic checkpoint, which is a commit hook itself.
    sqlite3_wal_hook(m_impl->writer, &Impl::on_commit, m_impl.get());
}

BackgroundCheckpoints::~BackgroundCheckpoints() {
    if (!m_impl) {
        return;
    }
    sqlite3_wal_autocheckpoint(m_impl->writer, k_wal_checkpoint_frames);
    m_impl->thread.request_stop();
    m_impl->thread.join();
}

long BackgroundCheckpoints::checkpoints_run() const {
    return m_impl ? m_impl->runs.load(std::memory_order_relaxed) : 0;
}

}  // namespace oaiharvest::store
