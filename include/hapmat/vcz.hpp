#pragma once
/** @file VCF Zarr: a conversion's VCF records as the arrays of the
 * vcf-zarr specification, in a Zarr v2 directory store
 * (docs/FORMAT.md, "VCF Zarr"). */

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "hapmat/output.hpp"

namespace hapmat {

/** How a VCF Zarr store is chunked and written. */
struct VczOptions {
  /// Variants a chunk; 0: 10,000, or fewer for wide matrices so that a
  /// chunk's genotypes stay near 8 MiB (vczVariantsChunk())
  std::size_t variantsChunk = 0;
  std::size_t samplesChunk = 10'000;
  unsigned ploidy = 2;  ///< 1 with --haploid
  /// Chunks encoded at once on the caller's oneTBB workers: 2 x threads
  unsigned threads = 1;
};

/** The variants chunk `options` give for `samples` samples. */
std::size_t vczVariantsChunk(const VczOptions& options, std::size_t samples);

/**
 * Takes the VCF text a conversion writes (ConvertOptions::format kVcf) and
 * writes its records as a VCF Zarr store at `target`: the serial write()
 * cuts the records into chunks of variants, each parsed, transposed and
 * compressed on a oneTBB worker (at most 2 x threads chunks in flight).
 * The store is written under a temporary name beside the target and put in
 * place by commit(); destroyed uncommitted, the store is removed. Throws
 * IoError.
 */
class VczSink final : public ByteSink {
 public:
  VczSink(std::string target, VczOptions options);
  ~VczSink() override;
  VczSink(const VczSink&) = delete;
  VczSink& operator=(const VczSink&) = delete;

  void write(std::string_view bytes) override;
  /** The header may be replaced (its ##contig lines): the contig numbers
   * of the chunks written are fixed at commit(). */
  bool canReplaceHeader() const override { return true; }
  void endHeader() override;
  void replaceHeader(std::string_view header) override;

  /** The temporary directory, for a signal handler to remove. */
  const std::string& tempPath() const;
  /** Encodes the last chunk, finishes the arrays, writes the metadata and
   * puts the store in place. Returns the bytes of the store's files. */
  std::uint64_t commit();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hapmat
