#include "serve/dublin_core.hpp"
