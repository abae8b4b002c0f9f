#pragma once
// Child processes for the benchmark driver: run a command to completion and report its wall
// time and its own resource use (wait4), or keep one running in the background (a server, the
// daemon). Children are started with fork + exec, never posix_spawn or vfork: with those the
// child shares the parent's memory until exec and its ru_maxrss would count the parent's pages.
// The driver stays small for the same reason (the corpus lives in the server process).
// Not thread-safe; one driver thread uses it.

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

namespace oaiharvest::bench {

struct ChildResult {
    int exit_code = -1;  // 128 + signal when killed
    double wall_s = 0;
    double user_s = 0;
    double sys_s = 0;
    long maxrss_kib = 0;
    std::string out;  // stdout, unless only counted
    std::string err;
    std::size_t out_bytes = 0;
    std::size_t out_lines = 0;
};

enum class Stdout { capture, count_only };

// Runs argv[0] (searched in PATH) with stdin from /dev/null until it exits. Never throws for
// the child's failure (see exit_code; 127: exec failed); throws std::system_error when pipes or
// fork fail.
ChildResult run_child(const std::vector<std::string>& argv, Stdout out = Stdout::capture);

// A child left running: stdin is a pipe (closing it tells a bench server to stop), stdout a pipe
// read line by line. The destructor sends SIGTERM and reaps it.
class Background {
public:
    // stderr_path: a file for the child's stderr (created or truncated), for a child that logs
    // what the driver must read; empty: the driver's own stderr. Throws std::system_error when
    // the file cannot be opened.
    explicit Background(const std::vector<std::string>& argv, const std::string& stderr_path = {});
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    Background(Background&&) = delete;
    Background& operator=(Background&&) = delete;
    ~Background();

    // The next line of stdout without its newline; "" at end of file or after timeout_s.
    std::string read_line(double timeout_s);
    // True once the child has ended on its own; it is left to stop() to reap and report.
    bool exited() const;
    // SIGTERM, then waits; returns what wait4 saw. Idempotent.
    ChildResult stop();
    pid_t pid() const { return m_pid; }

private:
    pid_t m_pid = -1;
    int m_stdin = -1;
    int m_stdout = -1;
    std::string m_buffer;
    double m_started = 0;
    ChildResult m_result;
    bool m_stopped = false;
};

// Seconds on a monotonic clock.
double now_s();

}  // namespace oaiharvest::bench
