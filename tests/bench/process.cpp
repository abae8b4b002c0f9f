#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <system_error>

namespace oaiharvest::bench {
namespace {

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void make_pipe(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) != 0) {
        fail("pipe2");
    }
}

// In the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const std::vector<std::string>& argv, int in, int out, int err) {
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execvp(args[0], args.data());
    _exit(127);
}

void fill_usage(ChildResult& result, int status, const rusage& usage) {
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.user_s = static_cast<double>(usage.ru_utime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec) / 1e6;
    result.sys_s = static_cast<double>(usage.ru_stime.tv_sec) +
                   static_cast<double>(usage.ru_stime.tv_usec) / 1e6;
    result.maxrss_kib = usage.ru_maxrss;
}

}  // namespace

double now_s() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

ChildResult run_child(const std::vector<std::string>& argv, Stdout mode) {
    int out[2];
    int err[2];
    make_pipe(out);
    make_pipe(err);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ChildResult result;
    const double started = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        fail("fork");
    }
    if (pid == 0) {
        exec_child(argv, null, out[1], err[1]);
    }
    close(null);
    close(out[1]);
    close(err[1]);
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    static thread_local char buffer[1 << 16];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("poll");
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
                continue;
            }
            const auto size = static_cast<std::size_t>(n);
            if (i == 1) {
                result.err.append(buffer, size);
                continue;
            }
            result.out_bytes += size;
            result.out_lines += static_cast<std::size_t>(std::count(buffer, buffer + n, '\n'));
            if (mode == Stdout::capture) {
                result.out.append(buffer, size);
            }
        }
    }
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            fail("wait4");
        }
    }
    result.wall_s = now_s() - started;
    fill_usage(result, status, usage);
    return result;
}

Background::Background(const std::vector<std::string>& argv, const std::string& stderr_path) {
    int err = 2;
    if (!stderr_path.empty()) {
        // A file, not a pipe: a pipe the driver stopped reading would block the child's logging
        // once full.
        err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (err < 0) {
            fail("open (a child's stderr)");
        }
    }
    int in[2];
    int out[2];
    make_pipe(in);
    make_pipe(out);
    m_started = now_s();
    m_pid = fork();
    if (m_pid < 0) {
        fail("fork");
    }
    if (m_pid == 0) {
        exec_child(argv, in[0], out[1], err);
    }
    if (err != 2) {
        close(err);
    }
    close(in[0]);
    close(out[1]);
    m_stdin = in[1];
    m_stdout = out[0];
}

Background::~Background() {
    stop();
}

std::string Background::read_line(double timeout_s) {
    const double deadline = now_s() + timeout_s;
    while (true) {
        if (auto newline = m_buffer.find('\n'); newline != std::string::npos) {
            std::string line = m_buffer.substr(0, newline);
            m_buffer.erase(0, newline + 1);
            return line;
        }
        const double left = deadline - now_s();
        if (m_stdout < 0 || left <= 0) {
            return {};
        }
        pollfd fd{m_stdout, POLLIN, 0};
        if (poll(&fd, 1, static_cast<int>(left * 1000) + 1) <= 0) {
            continue;
        }
        char chunk[4096];
        ssize_t n = read(m_stdout, chunk, sizeof chunk);
        if (n <= 0) {
            close(m_stdout);
            m_stdout = -1;
            continue;
        }
        m_buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

bool Background::exited() const {
    if (m_stopped || m_pid <= 0) {
        return true;
    }
    // WNOWAIT leaves the child a zombie, so stop() still gets its status and rusage.
    siginfo_t info{};
    return waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid != 0;
}

ChildResult Background::stop() {
    if (m_stopped || m_pid <= 0) {
        return m_result;
    }
    m_stopped = true;
    kill(m_pid, SIGTERM);
    if (m_stdin >= 0) {
        close(m_stdin);
    }
    int status = 0;
    rusage usage{};
    while (wait4(m_pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    m_result.wall_s = now_s() - m_started;
    fill_usage(m_result, status, usage);
    if (m_stdout >= 0) {
        close(m_stdout);
    }
    return m_result;
}

}  // namespace oaiharvest::bench
