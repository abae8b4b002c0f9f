#include "fulltext/detail/worker.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>
#include <utility>

extern char** environ;

namespace oaiharvest::fulltext::detail {
namespace {

// The result's first line, and what a worker's crash report may need.
constexpr std::size_t k_output_slack = 4096;
constexpr std::size_t k_stderr_cap = 2048;

[[noreturn]] void fail(const std::string& what, int error) {
    throw std::system_error(error, std::generic_category(), what);
}

class Fd {
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    int get() const { return m_fd; }
    void reset() {
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }

private:
    int m_fd;
};

struct Pipe {
    Fd read;
    Fd write;
};

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        fail("cannot make a pipe for the text worker", errno);
    }
    return {Fd(fds[0]), Fd(fds[1])};
}

// posix_spawn's attribute and file actions, destroyed however the spawn goes.
class SpawnSetup {
public:
    SpawnSetup() {
        if (int e = ::posix_spawn_file_actions_init(&m_actions); e != 0) {
            fail("cannot prepare the text worker", e);
        }
        if (int e = ::posix_spawnattr_init(&m_attr); e != 0) {
            ::posix_spawn_file_actions_destroy(&m_actions);
            fail("cannot prepare the text worker", e);
        }
    }
    ~SpawnSetup() {
        ::posix_spawnattr_destroy(&m_attr);
        ::posix_spawn_file_actions_destroy(&m_actions);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
    SpawnSetup(SpawnSetup&&) = delete;
    SpawnSetup& operator=(SpawnSetup&&) = delete;
    posix_spawn_file_actions_t* actions() { return &m_actions; }
    posix_spawnattr_t* attr() { return &m_attr; }

private:
    posix_spawn_file_actions_t m_actions{};
    posix_spawnattr_t m_attr{};
};

// The worker until reaped: killed and waited for by the destructor if the caller did not.
class Worker {
public:
    explicit Worker(pid_t pid) : m_pid(pid) {}
    ~Worker() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            wait();
        }
    }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;
    Worker(Worker&&) = delete;
    Worker& operator=(Worker&&) = delete;
    void kill() { ::kill(m_pid, SIGKILL); }
    // Blocks until the worker ends; its wait status.
    int wait() {
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0) {
            if (errno != EINTR) {
                status = 0;
                break;
            }
        }
        m_pid = -1;
        return status;
    }

private:
    pid_t m_pid;
};

pid_t spawn(const std::filesystem::path& executable, const std::vector<std::string>& arguments,
            const Pipe& out, const Pipe& err) {
    SpawnSetup setup;
    // dup2 clears close-on-exec on the copy; every other descriptor of ours has it set or is
    // not the worker's business (stdin: nothing).
    int e =
        ::posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (e == 0) {
        e = ::posix_spawn_file_actions_adddup2(setup.actions(), out.write.get(), STDOUT_FILENO);
    }
    if (e == 0) {
        e = ::posix_spawn_file_actions_adddup2(setup.actions(), err.write.get(), STDERR_FILENO);
    }
    // A daemon's harvest child holds the harvest lock and the host gate on descriptors without
    // close-on-exec (daemon/child.cpp): a worker outliving it must not hold them too.
    if (e == 0) {
        e = ::posix_spawn_file_actions_addclosefrom_np(setup.actions(), STDERR_FILENO + 1);
    }
    // The caller may block signals or ignore SIGPIPE (the daemon does): the worker starts clean.
    sigset_t none;
    sigset_t defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    if (e == 0) {
        e = ::posix_spawnattr_setsigmask(setup.attr(), &none);
    }
    if (e == 0) {
        e = ::posix_spawnattr_setsigdefault(setup.attr(), &defaults);
    }
    if (e == 0) {
        e = ::posix_spawnattr_setflags(setup.attr(),
                                       POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    if (e != 0) {
        fail("cannot prepare the text worker", e);
    }
    std::vector<std::string> args{executable.string()};
    args.insert(args.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    // environ: a sanitizer's options reach the worker (docs/testing.md).
    e = ::posix_spawn(&pid, args.front().c_str(), setup.actions(), setup.attr(), argv.data(),
                      environ);
    if (e != 0) {
        fail("cannot start the text worker " + executable.string(), e);
    }
    return pid;
}

std::string describe_status(int status) {
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        const char* abbrev = ::sigabbrev_np(signal);
        std::string name = abbrev ? " (SIG" + std::string(abbrev) + ")" : "";
        if (signal == SIGXCPU) {
            return "the text worker used up its CPU time limit" + name;
        }
        return "the text worker was killed by signal " + std::to_string(signal) + name;
    }
    return "the text worker exited with status " + std::to_string(WEXITSTATUS(status));
}

// The last line the worker wrote to stderr, for the error; empty when none.
std::string last_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    const auto start = text.rfind('\n');
    return start == std::string::npos ? text : text.substr(start + 1);
}

enum class Ending { done, timeout, too_long };

// Reads both pipes until both close, the deadline passes, or stdout passes `cap`.
Ending read_all(Fd& out, Fd& err, std::string& output, std::string& errors, std::size_t cap,
                std::chrono::steady_clock::time_point deadline) {
    std::array<char, 64 * 1024> buffer{};
    while (out.get() >= 0 || err.get() >= 0) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return Ending::timeout;
        }
        pollfd fds[2] = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}};
        const int ready =
            ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 60'000)));
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("cannot wait for the text worker", errno);
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            Fd& fd = i == 0 ? out : err;
            const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                fd.reset();  // closed (or broken): the worker is ending
                continue;
            }
            std::string& into = i == 0 ? output : errors;
            const std::size_t keep = i == 0 ? cap + 1 : k_stderr_cap;
            into.append(buffer.data(),
                        std::min(static_cast<std::size_t>(n), keep - std::min(keep, into.size())));
            if (i == 0 && output.size() > cap) {
                return Ending::too_long;
            }
        }
    }
    return Ending::done;
}

}  // namespace

ExtractedText run_worker(const std::filesystem::path& executable, const std::filesystem::path& body,
                         const std::vector<std::string>& arguments, const ExtractLimits& limits) {
    const auto failed = [&](const std::string& why) {
        return ExtractedText{TextStatus::failed, {}, std::nullopt, body.string() + ": " + why};
    };
    Pipe out = make_pipe();
    Pipe err = make_pipe();
    const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
    Worker worker(spawn(executable, arguments, out, err));
    out.write.reset();  // else the pipes never close when the worker ends
    err.write.reset();
    std::string output;
    std::string errors;
    const Ending ending = read_all(out.read, err.read, output, errors,
                                   limits.max_text_bytes + k_output_slack, deadline);
    if (ending != Ending::done) {
        worker.kill();
    }
    const int status = worker.wait();
    if (ending == Ending::timeout) {
        return failed("text extraction took longer than " + std::to_string(limits.timeout.count()) +
                      " ms; the worker was killed");
    }
    if (ending == Ending::too_long) {
        return failed("the text worker wrote more than the text cap of " +
                      std::to_string(limits.max_text_bytes) + " bytes; it was killed");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const std::string said = last_line(errors);
        return failed(describe_status(status) + (said.empty() ? "" : ": " + said));
    }
    auto result = decode_result(output);
    if (!result) {
        return failed("the text worker's output was not understood");
    }
    if (result->status == TextStatus::extracted && result->text.size() > limits.max_text_bytes) {
        return failed("the text worker wrote more than the text cap");
    }
    return *result;
}

}  // namespace oaiharvest::fulltext::detail
