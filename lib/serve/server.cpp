#include "serve/server.hpp"
