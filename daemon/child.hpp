#pragma once
// Containment: the daemon harvests each endpoint in a child process of its own, so that a
// crash, a runaway allocation or a hang while harvesting one endpoint costs that endpoint's run
// and nothing else.
//
// The child is the daemon's own binary (/proc/self/exe, so an upgrade on disk never mixes
// versions), started with fork and execv at once (no shell; between the two only
// async-signal-safe calls, since the daemon may have threads), as
//   oaiharvest -c /proc/self/fd/4 --db DB [-v|-q] [--log-format F] daemon --harvest-child NAME
// (and --host-slot N, and --reconcile for a reconcile instead of a harvest) where fd 4 holds the
// daemon's config as it stands (describe_effective, so a config file changed on disk but not
// reloaded does not leak into a child) and fd 3 is the daemon's locked harvest-lock descriptor:
// sharing it, the child harvests under the daemon's lock, while any other process (a plain
// `harvest`) is still refused. Fd 5 is the daemon's http::SharedGateFile, and N the slot of
// the endpoint's host in it: politeness across children. The child
// - dies with the daemon (PR_SET_PDEATHSIG), and sits in its own process group, so that a signal
//   to the daemon's group reaches it once, forwarded by the daemon;
// - has RLIMIT_AS (daemon.memory_limit) and RLIMIT_CPU (daemon.cpu_limit); the daemon enforces
//   the wall-clock daemon.run_deadline with SIGTERM, then SIGKILL after k_term_grace.
//
// Test hook: OAIHARVEST_TEST_FAULT="<endpoint>:<fault>" in the daemon's environment makes the
// harvest child of that endpoint, at its first ListRecords request, raise SIGSEGV ("segv"),
// abort ("abort") or allocate without bound ("alloc"). It exists so that the integration tests
// can crash a child deterministically; it does nothing unless set.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "config/config.hpp"

namespace oaiharvest::cli {

// Exit status of a child whose allocation failed (its address-space limit): it has no other
// way to say so, since it must not allocate to report it.
constexpr int k_exit_out_of_memory = 86;
// Exit status of a child that left its endpoint alone because another harvester holds the
// endpoint's lease (a daemon sharing a PostgreSQL mirror, store/lease.hpp): EX_TEMPFAIL.
constexpr int k_exit_held_elsewhere = 75;

// The descriptors a child starts with (above): the lock, the config, the host gate, in a row.
constexpr int k_lock_fd = 3;
constexpr int k_config_fd = 4;
constexpr int k_gate_fd = 5;
static_assert(k_config_fd == k_lock_fd + 1 && k_gate_fd == k_lock_fd + 2);

// How long a child has, after SIGTERM, to end its page in flight before SIGKILL.
constexpr std::chrono::seconds k_term_grace{2};

struct ChildLimits {
    std::uint64_t memory_bytes = 0;         // 0: none
    std::chrono::milliseconds cpu{0};       // 0: none
    std::chrono::milliseconds deadline{0};  // 0: none
    static ChildLimits of(const config::DaemonSettings& daemon);
};

// How a child's harvest ended.
struct ChildEnd {
    enum class Kind {
        ok,              // exit 0
        failed,          // exit non-zero: the harvest failed or was stopped, and recorded so itself
        died,            // a signal, a limit or the deadline ended it; cause says which
        held_elsewhere,  // it did not run: another harvester holds the endpoint's lease
    };
    Kind kind = Kind::failed;
    std::string cause;  // "killed by signal 11 (SIGSEGV)", "exited with status 2", ...
};

// One running child. Destroying it while it runs kills it (SIGKILL) and reaps it.
class HarvestChild {
public:
    // The daemon's descriptors a child inherits.
    struct Inherited {
        int lock_fd;  // the locked harvest lock
        int gate_fd;  // the http::SharedGateFile
        int gate_slot;
    };
    // Starts the child: `global_args` are the global options it needs (--db, -v, ...), `config`
    // the config text it reads; reconcile: the child reconciles the endpoint. Throws
    // std::runtime_error when the process cannot be made.
    HarvestChild(const std::vector<std::string>& global_args, const std::string& config,
                 const std::string& endpoint, const Inherited& inherited, const ChildLimits& limits,
                 bool reconcile = false);
    ~HarvestChild();
    HarvestChild(const HarvestChild&) = delete;
    HarvestChild& operator=(const HarvestChild&) = delete;
    HarvestChild(HarvestChild&&) = delete;
    HarvestChild& operator=(HarvestChild&&) = delete;

    pid_t pid() const { return m_pid; }

    // Reaps the child when it has ended; otherwise enforces the deadline (and the grace after a
    // SIGTERM) and returns nullopt. Never blocks.
    std::optional<ChildEnd> poll(std::chrono::steady_clock::time_point now);

    // Asks the child to stop (SIGTERM, once); SIGKILL follows `grace` later.
    void stop(std::chrono::steady_clock::time_point now, std::chrono::milliseconds grace);

private:
    ChildEnd ended(int status) const;

    pid_t m_pid = -1;
    ChildLimits m_limits;
    std::chrono::steady_clock::time_point m_deadline;                // max() when none
    std::optional<std::chrono::steady_clock::time_point> m_kill_at;  // once SIGTERM was sent
    bool m_over_deadline = false;
    bool m_killed = false;
};

// "killed by signal 11 (SIGSEGV)".
std::string describe_signal(int signal);

// The child's side: `daemon --harvest-child NAME [--host-slot N] [--reconcile]` (hidden).
// Harvests (or reconciles) the endpoint once under the lock inherited on fd 3, through the host
// gate on fd 5 when a slot is given (>= 0), and returns the exit status.
int run_harvest_child(const GlobalOptions& global, const std::string& endpoint, int host_slot,
                      bool reconcile = false);

}  // namespace oaiharvest::cli
