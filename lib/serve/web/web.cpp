#include "serve/web/web.hpp"
