#include "store/served.hpp"
