#include "serve/metrics.hpp"
