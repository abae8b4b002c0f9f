#pragma once
// Runs the built oaiharvest binary as a child process (posix_spawn, no shell) and collects its
// exit status, output and peak memory. Used by the integration tests.

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace oaiharvest::test {

struct ProcessResult {
    int exit_code = -1;  // -1 when killed by a signal
    int signal = 0;      // the signal that ended it, if any
    std::string out;
    std::string err;
    // getrusage's peak for the child; posix_spawn shares the parent's memory until exec, so
    // this includes the test process's own size. Use `-v` and "peak memory:" for the child's.
    long max_rss_kib = 0;
};

// Runs OAIHARVEST_BINARY with args and waits for it.
ProcessResult run_oaiharvest(const std::vector<std::string>& args);
// Runs another program (argv[0] looked up on PATH: perl, catmandu) and waits for it. Throws
// std::runtime_error when it cannot be started.
ProcessResult run_program(const std::vector<std::string>& argv);

// A child running in the background, for tests that kill it or send it signals.
class BackgroundProcess {
public:
    // OAIHARVEST_BINARY with args.
    explicit BackgroundProcess(const std::vector<std::string>& args);
    // Another program: argv[0] is its path (chromedriver).
    struct Program {};
    BackgroundProcess(Program, std::vector<std::string> argv);
    // OAIHARVEST_BINARY with args and JOURNAL_STREAM set, as systemd starts a service whose
    // output goes to the journal: the variable names the device and inode of its stderr (still
    // a file read here), or, with names_stderr false, of its stdout (as a process inherits it
    // whose stderr is elsewhere).
    struct JournalStream {
        bool names_stderr = true;
    };
    BackgroundProcess(JournalStream journal, const std::vector<std::string>& args);
    ~BackgroundProcess();
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;
    BackgroundProcess(BackgroundProcess&&) = delete;
    BackgroundProcess& operator=(BackgroundProcess&&) = delete;

    pid_t pid() const { return m_pid; }
    void signal(int sig);
    // What it wrote to stderr so far (a server's log, read while it runs).
    std::string err_so_far() const;
    std::string out_so_far() const;
    // Waits for the process to end; the output went to files read back here.
    ProcessResult wait();

private:
    void start(std::vector<std::string> argv, std::optional<JournalStream> journal);

    pid_t m_pid = -1;
    std::string m_out_path;
    std::string m_err_path;
    bool m_waited = false;
};

}  // namespace oaiharvest::test
