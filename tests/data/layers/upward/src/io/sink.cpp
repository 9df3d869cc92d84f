// The public convert API is the engine's: io may not use it.
#include "hapmat/convert.hpp"
