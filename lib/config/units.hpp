#pragma once
// The config file's value syntaxes, durations ("1h30m") and sizes ("512MB"), are util's
// (util/units.hpp): the scheduler's "@every 6h" reads the same durations, and a parser that
// both folders need lives below both, so that config and scheduler do not include each other.
// Named here too, so that the config code and its users read them as the config's own.

#include "util/units.hpp"

namespace oaiharvest::config {

using util::format_duration;
using util::format_size;
using util::parse_duration;
using util::parse_size;

}  // namespace oaiharvest::config
