#pragma once
// BackgroundCheckpoints: while it lives, the WAL is copied back into the database file on a
// thread of its own, so that a page's commit never waits for that copy (docs/performance.md).
//
// SQLite checkpoints by itself on the committing connection, inside the commit that makes the
// WAL reach wal_autocheckpoint frames; the harvest's commits then stall for the copy and its
// fsyncs. Instead, after such a commit this asks its own thread, which runs a PASSIVE
// checkpoint on a connection of its own: that neither blocks the writer nor waits for it, and
// SQLite's locks keep it safe at any moment, a kill included. If the thread falls behind and
// the WAL reaches twice that size, the committing connection checkpoints itself, as it
// would have, so the WAL stays bounded. When the object goes, the store's own checkpoints
// come back.
//
// Made and destroyed by the thread that owns the store, while no page is being committed (the
// commit hook it installs points into it).

#include <memory>

#include "store/store.hpp"

namespace oaiharvest::store {

class BackgroundCheckpoints {
public:
    // frames: the WAL size that asks for a checkpoint (a smaller one in tests).
    explicit BackgroundCheckpoints(Store& store, int frames = k_wal_checkpoint_frames);
    ~BackgroundCheckpoints();
    BackgroundCheckpoints(const BackgroundCheckpoints&) = delete;
    BackgroundCheckpoints& operator=(const BackgroundCheckpoints&) = delete;
    BackgroundCheckpoints(BackgroundCheckpoints&&) = delete;
    BackgroundCheckpoints& operator=(BackgroundCheckpoints&&) = delete;

    // Checkpoints the thread has run (for tests).
    long checkpoints_run() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;  // null when the second connection could not be opened
};

}  // namespace oaiharvest::store
