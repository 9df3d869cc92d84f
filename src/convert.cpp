#include "hapmat/convert.hpp"

#include "reference_converter.hpp"

namespace hapmat {

Stats convert(const ConvertOptions& options, ByteSink& out) {
  return convertWithReference(options, out);
}

}  // namespace hapmat
