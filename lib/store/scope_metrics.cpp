#include "store/scope_metrics.hpp"
