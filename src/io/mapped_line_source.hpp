#pragma once
// Plain text in a regular file, read through a memory mapping: a chunk is a
// view of the mapped file, so no byte is copied on the way in; the pages
// are faulted in by whoever reads them first (the converting workers, in
// parallel), and released once a chunk is written, so that memory stays
// bounded by the chunks in flight.

#include <memory>

#include "io/input_source.hpp"
#include "io/line_source.hpp"

namespace hapmat {

/** The lines of `input` (a regular plain-text file of `size` bytes), or of
 * a part of it. Throws IoError when it cannot be mapped. */
std::unique_ptr<LineSource> openMapped(std::unique_ptr<InputSource> input,
                                       std::uint64_t size,
                                       const LineSourceOptions& options,
                                       std::optional<ByteRange> part);

}  // namespace hapmat
