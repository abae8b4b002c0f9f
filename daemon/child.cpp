// The daemon's side of a harvest child: start it with its limits, watch its deadline, reap it.

#include "child.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include "config/units.hpp"

namespace oaiharvest::cli {
namespace {

constexpr int k_first_free_fd = 6;
// What RLIMIT_CPU's hard limit adds to the soft one: SIGXCPU at the soft limit ends the child
// (its default action); SIGKILL at the hard one ends a child that caught or ignored it.
constexpr rlim_t k_cpu_hard_extra = 5;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

// An anonymous file holding the config text, for the child to read as /proc/self/fd/4.
int config_memfd(const std::string& text) {
    int fd = ::memfd_create("oaiharvest-config", MFD_CLOEXEC);
    if (fd < 0) {
        fail("cannot create the harvest child's config");
    }
    std::size_t written = 0;
    while (written < text.size()) {
        ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            int error = errno;
            ::close(fd);
            errno = error;
            fail("cannot write the harvest child's config");
        }
        written += static_cast<std::size_t>(n);
    }
    return fd;
}

// In the forked child, before execv: only async-signal-safe calls (the daemon may have threads,
// whose locks a forked copy would find held). Never returns.
[[noreturn]] void exec_child(pid_t parent, const HarvestChild::Inherited& inherited, int config_fd,
                             const ChildLimits& limits, char* const* argv) {
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) {
        ::_exit(127);  // the daemon is gone already
    }
    ::setpgid(0, 0);
    // Each descriptor to its number (3, 4, 5) by way of a copy above them all, so that no dup2
    // overwrites one still to be moved; dup2 clears FD_CLOEXEC on the result. Then nothing else
    // of the daemon's stays open.
    const int from[] = {inherited.lock_fd, config_fd, inherited.gate_fd};
    int high[3];
    for (int i = 0; i < 3; ++i) {
        high[i] = ::fcntl(from[i], F_DUPFD_CLOEXEC, k_first_free_fd);
        if (high[i] < 0) {
            ::_exit(127);
        }
    }
    for (int i = 0; i < 3; ++i) {
        if (::dup2(high[i], k_lock_fd + i) != k_lock_fd + i) {
            ::_exit(127);
        }
    }
    ::close_range(k_first_free_fd, ~0U, 0);
#ifndef OAIHARVEST_SANITIZED
    // ASan and TSan reserve terabytes of address space for their shadow memory: under them
    // the address-space limit would stop every child at start (tests/sanitizers: the memory
    // limit's own test is left to the Release build).
    constexpr bool k_limit_address_space = true;
#else
    constexpr bool k_limit_address_space = false;
#endif
    if (k_limit_address_space && limits.memory_bytes > 0) {
        rlimit as{limits.memory_bytes, limits.memory_bytes};
        if (::setrlimit(RLIMIT_AS, &as) != 0) {
            ::_exit(127);
        }
    }
    if (limits.cpu.count() > 0) {
        auto seconds = static_cast<rlim_t>((limits.cpu.count() + 999) / 1000);
        rlimit cpu{seconds, seconds + k_cpu_hard_extra};
        if (::setrlimit(RLIMIT_CPU, &cpu) != 0) {
            ::_exit(127);
        }
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv("/proc/self/exe", argv);
    ::_exit(127);
}

}  // namespace

ChildLimits ChildLimits::of(const config::DaemonSettings& daemon) {
    return {daemon.memory_limit, daemon.cpu_limit, daemon.run_deadline};
}

std::string describe_signal(int signal) {
    const char* abbrev = ::sigabbrev_np(signal);
    return "killed by signal " + std::to_string(signal) +
           (abbrev ? " (SIG" + std::string(abbrev) + ")" : std::string());
}

HarvestChild::HarvestChild(const std::vector<std::string>& global_args, const std::string& config,
                           const std::string& endpoint, const Inherited& inherited,
                           const ChildLimits& limits, bool reconcile)
    : m_limits(limits) {
    // Everything the child needs is made before fork: it may not allocate after.
    std::vector<std::string> args{"oaiharvest", "-c",
                                  "/proc/self/fd/" + std::to_string(k_config_fd)};
    args.insert(args.end(), global_args.begin(), global_args.end());
    args.insert(args.end(), {"daemon", "--harvest-child", endpoint, "--host-slot",
                             std::to_string(inherited.gate_slot)});
    if (reconcile) {
        args.emplace_back("--reconcile");
    }
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    int config_fd = config_memfd(config);
    const pid_t parent = ::getpid();
    m_pid = ::fork();
    if (m_pid == 0) {
        exec_child(parent, inherited, config_fd, m_limits, argv.data());
    }
    int fork_error = errno;
    ::close(config_fd);
    if (m_pid < 0) {
        errno = fork_error;
        fail("cannot start the harvest of " + endpoint);
    }
    // Also here, so that a signal to the daemon's group, sent before the child ran setpgid,
    // cannot reach it twice.
    ::setpgid(m_pid, m_pid);
    auto now = std::chrono::steady_clock::now();
    m_deadline = limits.deadline.count() > 0 ? now + limits.deadline
                                             : std::chrono::steady_clock::time_point::max();
}

HarvestChild::~HarvestChild() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

void HarvestChild::stop(std::chrono::steady_clock::time_point now,
                        std::chrono::milliseconds grace) {
    if (m_pid <= 0 || m_kill_at) {
        return;
    }
    ::kill(m_pid, SIGTERM);
    m_kill_at = now + grace;
}

std::optional<ChildEnd> HarvestChild::poll(std::chrono::steady_clock::time_point now) {
    if (m_pid <= 0) {
        return ChildEnd{ChildEnd::Kind::failed, "the harvest process was not started"};
    }
    int status = 0;
    pid_t reaped = ::waitpid(m_pid, &status, WNOHANG);
    if (reaped == m_pid) {
        m_pid = -1;
        return ended(status);
    }
    if (reaped < 0 && errno != EINTR) {
        m_pid = -1;  // not our child any more: nothing to wait for
        return ChildEnd{ChildEnd::Kind::died, std::string("lost: ") + std::strerror(errno)};
    }
    if (!m_kill_at && now >= m_deadline) {
        m_over_deadline = true;
        stop(now, k_term_grace);
    } else if (m_kill_at && now >= *m_kill_at && !m_killed) {
        ::kill(m_pid, SIGKILL);
        m_killed = true;
    }
    return std::nullopt;
}

ChildEnd HarvestChild::ended(int status) const {
    if (m_over_deadline) {
        return {ChildEnd::Kind::died, "exceeded the wall-clock deadline of " +
                                          config::format_duration(m_limits.deadline)};
    }
    if (WIFSIGNALED(status)) {
        int signal = WTERMSIG(status);
        if (signal == SIGXCPU && m_limits.cpu.count() > 0) {
            return {ChildEnd::Kind::died,
                    "exceeded the CPU limit of " + config::format_duration(m_limits.cpu)};
        }
        return {ChildEnd::Kind::died, describe_signal(signal)};
    }
    int code = WEXITSTATUS(status);
    if (code == 0) {
        return {ChildEnd::Kind::ok, {}};
    }
    if (code == k_exit_held_elsewhere) {
        return {ChildEnd::Kind::held_elsewhere, "left the endpoint to another harvester"};
    }
    if (code == k_exit_out_of_memory && m_limits.memory_bytes > 0) {
        return {ChildEnd::Kind::died,
                "exceeded the memory limit of " + config::format_size(m_limits.memory_bytes)};
    }
    return {ChildEnd::Kind::failed, "exited with status " + std::to_string(code)};
}

}  // namespace oaiharvest::cli
