#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

extern char** environ;

namespace oaiharvest::test {
namespace {

std::vector<char*> argv_of(std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    return argv;
}

ProcessResult reap(pid_t pid) {
    ProcessResult result;
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            throw std::runtime_error("wait4 failed");
        }
    }
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    result.max_rss_kib = usage.ru_maxrss;
    return result;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

ProcessResult run_oaiharvest(const std::vector<std::string>& args) {
    std::vector<std::string> full{OAIHARVEST_BINARY};
    full.insert(full.end(), args.begin(), args.end());
    return run_program(full);
}

ProcessResult run_program(const std::vector<std::string>& argv_strings) {
    auto full = argv_strings;
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid = -1;
    auto argv = argv_of(full);
    // posix_spawnp: a path with a slash is used as it is, a bare name is looked up on PATH.
    int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        throw std::runtime_error("cannot start " + full[0]);
    }
    std::string out, err;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                ssize_t n = read(fds[i].fd, buf, sizeof buf);
                if (n > 0) {
                    (i == 0 ? out : err).append(buf, static_cast<std::size_t>(n));
                } else {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    --open_fds;
                }
            }
        }
    }
    ProcessResult result = reap(pid);
    result.out = std::move(out);
    result.err = std::move(err);
    return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& args)
    : BackgroundProcess(Program{}, [&args] {
          std::vector<std::string> full{OAIHARVEST_BINARY};
          full.insert(full.end(), args.begin(), args.end());
          return full;
      }()) {}

BackgroundProcess::BackgroundProcess(Program, std::vector<std::string> full) {
    start(std::move(full), std::nullopt);
}

BackgroundProcess::BackgroundProcess(JournalStream journal, const std::vector<std::string>& args) {
    std::vector<std::string> full{OAIHARVEST_BINARY};
    full.insert(full.end(), args.begin(), args.end());
    start(std::move(full), journal);
}

void BackgroundProcess::start(std::vector<std::string> full, std::optional<JournalStream> journal) {
    char out_template[] = "/tmp/oaiharvest-out-XXXXXX";
    char err_template[] = "/tmp/oaiharvest-err-XXXXXX";
    int out_fd = mkstemp(out_template);
    int err_fd = mkstemp(err_template);
    if (out_fd < 0 || err_fd < 0) {
        throw std::runtime_error("mkstemp failed");
    }
    m_out_path = out_template;
    m_err_path = err_template;
    std::vector<std::string> environment;
    for (char** variable = environ; *variable != nullptr; ++variable) {
        if (!std::string_view(*variable).starts_with("JOURNAL_STREAM=")) {
            environment.emplace_back(*variable);
        }
    }
    if (journal) {
        struct stat stream {};
        if (fstat(journal->names_stderr ? err_fd : out_fd, &stream) != 0) {
            throw std::runtime_error("fstat failed");
        }
        environment.push_back("JOURNAL_STREAM=" + std::to_string(stream.st_dev) + ":" +
                              std::to_string(stream.st_ino));
    }
    auto envp = argv_of(environment);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    auto argv = argv_of(full);
    int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out_fd);
    close(err_fd);
    if (rc != 0) {
        throw std::runtime_error("cannot start " + full[0]);
    }
}

BackgroundProcess::~BackgroundProcess() {
    if (!m_waited && m_pid > 0) {
        kill(m_pid, SIGKILL);
        reap(m_pid);
    }
    std::remove(m_out_path.c_str());
    std::remove(m_err_path.c_str());
}

void BackgroundProcess::signal(int sig) {
    kill(m_pid, sig);
}

std::string BackgroundProcess::err_so_far() const {
    return slurp(m_err_path);
}

std::string BackgroundProcess::out_so_far() const {
    return slurp(m_out_path);
}

ProcessResult BackgroundProcess::wait() {
    ProcessResult result = reap(m_pid);
    m_waited = true;
    result.out = slurp(m_out_path);
    result.err = slurp(m_err_path);
    return result;
}

}  // namespace oaiharvest::test
