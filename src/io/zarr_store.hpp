#pragma once
// A Zarr v2 directory store written under a temporary name: its chunk
// files (Blosc-compressed, as numcodecs' Blosc codec writes them), the
// arrays' .zarray and .zattrs, the group's, and the consolidated metadata
// (.zmetadata) that zarr.open_consolidated reads.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hapmat {

/** Blosc's shuffle filter, as numcodecs numbers it. */
enum class BloscShuffle { kNone = 0, kBit = 2 };

/** Compresses one chunk with Blosc (zstd, level 3, one thread). */
std::string bloscCompress(std::string_view bytes, std::size_t typeSize,
                          BloscShuffle shuffle);

/** The bytes of a chunk bloscCompress made. Throws IoError (naming `name`)
 * on a damaged chunk. */
std::string bloscDecompress(std::string_view chunk, const std::string& name);

/** numcodecs' vlen-utf8 encoding: the item count, then each item as its
 * length and bytes, all lengths 4-byte little-endian. */
std::string encodeVlenUtf8(const std::vector<std::string_view>& items);
/** The items of encodeVlenUtf8's bytes. Throws IoError (naming `name`). */
std::vector<std::string> decodeVlenUtf8(std::string_view bytes,
                                        const std::string& name);

/** One array of the store: what its .zarray and .zattrs say. */
struct ZarrArraySpec {
  std::string name;
  std::string dtype;  ///< "|i1", "<i4", "<i8", "<f4", "|b1", or "|O" (strings)
  std::vector<std::uint64_t> shape;
  std::vector<std::uint64_t> chunks;
  std::vector<std::string> dimensions;  ///< xarray's _ARRAY_DIMENSIONS
  std::string description;
  BloscShuffle shuffle = BloscShuffle::kNone;

  bool isString() const { return dtype == "|O"; }
  /** Bytes of one item (strings: 1, their encoding is bytes). */
  std::size_t itemSize() const;
  /** The chunk file of chunk `index` (one number per dimension). */
  std::string chunkKey(const std::vector<std::uint64_t>& index) const;
};

/** A JSON string literal of `text`. */
std::string jsonString(std::string_view text);

/**
 * A Zarr v2 store being written in `.NAME.hapmat-XXXXXX`, a directory
 * beside the target; commit() renames it to the target (an existing store
 * there is renamed away first, then removed), and destroyed uncommitted it
 * removes the directory. writeChunk() may be called from several threads
 * at once. Throws IoError.
 */
class ZarrStore {
 public:
  /** Refuses a target that exists and is neither a Zarr store (a directory
   * with .zgroup) nor an empty directory: it would be replaced. */
  explicit ZarrStore(std::string target);
  ~ZarrStore();
  ZarrStore(const ZarrStore&) = delete;
  ZarrStore& operator=(const ZarrStore&) = delete;

  /** The temporary directory, for a signal handler to remove. */
  const std::string& tempPath() const { return tempPath_; }

  /** Makes the array's folder and records its metadata, written (and
   * consolidated) by commit(). The last one of a name counts. */
  void defineArray(const ZarrArraySpec& spec);
  /** Compresses `bytes` as one chunk of `spec` and writes it. */
  void writeChunk(const ZarrArraySpec& spec,
                  const std::vector<std::uint64_t>& index,
                  std::string_view bytes);
  /** The uncompressed bytes of a chunk written before. */
  std::string readChunk(const ZarrArraySpec& spec,
                        const std::vector<std::uint64_t>& index) const;
  /** Writes the group (its attributes: a JSON object's text), every array's
   * metadata, .zmetadata, and renames the store into place. Returns the
   * bytes of its files. */
  std::uint64_t commit(const std::string& groupAttributes);

 private:
  void writeFile(const std::string& key, std::string_view bytes) const;

  std::string target_;
  std::string tempPath_;
  std::map<std::string, std::string> metadata_;  // key -> JSON text
  mutable std::mutex folders_;
  bool committed_ = false;
};

/** Removes a directory tree with system calls only (no allocation), for a
 * signal handler; errors are ignored. */
void removeTreeForSignal(const char* path);

}  // namespace hapmat
