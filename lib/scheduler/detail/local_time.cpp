#include "scheduler/detail/local_time.hpp"

#include <algorithm>
#include <array>
#include <ctime>
#include <optional>

namespace oaiharvest::scheduler::detail {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

// The local time's offset from UTC at instant t (tm_gmtoff: glibc, BSD and POSIX.1-2024).
seconds offset_at(sys_seconds t) {
    const auto tt = static_cast<std::time_t>(t.time_since_epoch().count());
    std::tm broken{};
    if (localtime_r(&tt, &broken) == nullptr) {
        return seconds{0};
    }
    return seconds{broken.tm_gmtoff};
}

}  // namespace

std::chrono::local_seconds to_local(sys_seconds t) {
    return std::chrono::local_seconds{t.time_since_epoch() + offset_at(t)};
}

sys_seconds earliest_instant(std::chrono::local_seconds local) {
    using namespace std::chrono_literals;
    // The local time read as if it were UTC. The instant we want is as_utc - offset for one of
    // the offsets in force around it; offsets stay within +-26h, and real zones never change
    // offset twice within 30h, so sampling 30h either side finds every candidate.
    const sys_seconds as_utc{local.time_since_epoch()};
    const std::array<seconds, 3> offsets{offset_at(as_utc - 30h), offset_at(as_utc),
                                         offset_at(as_utc + 30h)};
    std::array<sys_seconds, 3> candidates{};
    std::optional<sys_seconds> earliest;
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        candidates[i] = as_utc - offsets[i];
        if (offset_at(candidates[i]) == offsets[i] && (!earliest || candidates[i] < *earliest)) {
            earliest = candidates[i];
        }
    }
    if (earliest) {
        return *earliest;
    }
    // A gap: no offset maps back to `local`. The jump lies between the candidates; find the
    // first second after the lowest candidate whose offset differs from the lowest's.
    auto low = *std::min_element(candidates.begin(), candidates.end());
    auto high = *std::max_element(candidates.begin(), candidates.end());
    const auto offset_before = offset_at(low);
    while (high - low > 1s) {
        const auto middle = low + (high - low) / 2;
        if (offset_at(middle) == offset_before) {
            low = middle;
        } else {
            high = middle;
        }
    }
    return high;
}

}  // namespace oaiharvest::scheduler::detail
