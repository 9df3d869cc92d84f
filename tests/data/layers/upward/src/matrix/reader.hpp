#pragma once
// A matrix-layer header that reaches up into the formats: the layer check
// must refuse it.
#include "formats/row_writer.hpp"
#include "io/line_source.hpp"
