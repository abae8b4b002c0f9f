#include "serve/provider.hpp"
