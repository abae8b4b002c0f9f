#include "store/browse.hpp"
