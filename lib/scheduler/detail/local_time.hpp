#pragma once
// Local wall-clock time in the process's time zone (TZ), through localtime_r: C++20's
// std::chrono::zoned_time is missing from g++ 12. Thread-safe as long as nobody changes TZ
// (setenv + tzset) concurrently; glibc reads TZ at tzset(), not at every call.

#include <chrono>

namespace oaiharvest::scheduler::detail {

// The local wall-clock time at instant t.
std::chrono::local_seconds to_local(std::chrono::sys_seconds t);

// The earliest instant whose local time is `local`: in a fold (clocks turned back) the first of
// the two. A local time skipped by a gap (clocks turned forward) maps to the instant of the
// jump, whose local time is the first valid one after the gap (02:30 in a 02:00->03:00 gap
// maps to 03:00).
std::chrono::sys_seconds earliest_instant(std::chrono::local_seconds local);

}  // namespace oaiharvest::scheduler::detail
