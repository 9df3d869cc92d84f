#include "io/zarr_store.hpp"

#include <blosc.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "hapmat/error.hpp"

namespace hapmat {

namespace fs = std::filesystem;

namespace {

// Blosc with zstd, as bio2zarr, but at zstd's default level 3, not
// bio2zarr's 7: on the realistic matrix's first 800,000 rows level 7 took
// 6 x the CPU time of level 3 for a store 2% smaller (docs/BENCHMARKS.md).
// Otherwise numcodecs' defaults: automatic block size.
constexpr int kBloscLevel = 3;
constexpr const char* kBloscCodec = "zstd";

void putU32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

std::uint32_t getU32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= std::uint32_t{static_cast<unsigned char>(bytes[at + i])}
             << (8 * i);
  }
  return value;
}

std::string jsonNumbers(const std::vector<std::uint64_t>& numbers) {
  std::string out = "[";
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    out += (i > 0 ? ", " : "") + std::to_string(numbers[i]);
  }
  return out + "]";
}

std::string jsonStrings(const std::vector<std::string>& strings) {
  std::string out = "[";
  for (std::size_t i = 0; i < strings.size(); ++i) {
    out += (i > 0 ? ", " : "") + jsonString(strings[i]);
  }
  return out + "]";
}

// Keys sorted, as zarr-python writes its metadata.
std::string zarrayJson(const ZarrArraySpec& spec) {
  return "{\n    \"chunks\": " + jsonNumbers(spec.chunks) +
         ",\n    \"compressor\": {\n        \"blocksize\": 0,\n"
         "        \"clevel\": " +
         std::to_string(kBloscLevel) + ",\n        \"cname\": \"" +
         kBloscCodec + "\",\n        \"id\": \"blosc\",\n" +
         "        \"shuffle\": " +
         std::to_string(static_cast<int>(spec.shuffle)) +
         "\n    },\n    \"dimension_separator\": \"/\",\n    \"dtype\": \"" +
         spec.dtype + "\",\n    \"fill_value\": null,\n    \"filters\": " +
         (spec.isString() ? "[\n        {\n            \"id\": "
                            "\"vlen-utf8\"\n        }\n    ]"
                          : "null") +
         ",\n    \"order\": \"C\",\n    \"shape\": " + jsonNumbers(spec.shape) +
         ",\n    \"zarr_format\": 2\n}";
}

std::string zattrsJson(const ZarrArraySpec& spec) {
  return "{\n    \"_ARRAY_DIMENSIONS\": " + jsonStrings(spec.dimensions) +
         ",\n    \"description\": " + jsonString(spec.description) + "\n}";
}

std::string withoutTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

bool isEmptyOrZarrGroup(const std::string& path) {
  return fs::exists(fs::path(path) / ".zgroup") || fs::is_empty(path);
}

void makeFolder(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
    throwIoError("cannot create folder", path, errno);
  }
}

}  // namespace

std::string bloscCompress(std::string_view bytes, std::size_t typeSize,
                          BloscShuffle shuffle) {
  std::string out(bytes.size() + BLOSC_MAX_OVERHEAD, '\0');
  const int size = blosc_compress_ctx(
      kBloscLevel, static_cast<int>(shuffle), typeSize, bytes.size(),
      bytes.data(), out.data(), out.size(), kBloscCodec, 0, 1);
  if (size <= 0) {
    throw IoError("Blosc cannot compress a chunk of " +
                  std::to_string(bytes.size()) + " bytes");
  }
  out.resize(static_cast<std::size_t>(size));
  return out;
}

std::string bloscDecompress(std::string_view chunk, const std::string& name) {
  std::size_t bytes = 0, compressed = 0, block = 0;
  if (chunk.size() < BLOSC_MIN_HEADER_LENGTH) {
    throw IoError(name + ": not a Blosc chunk");
  }
  blosc_cbuffer_sizes(chunk.data(), &bytes, &compressed, &block);
  std::string out(bytes, '\0');
  if (compressed != chunk.size() ||
      blosc_decompress_ctx(chunk.data(), out.data(), out.size(), 1) !=
          static_cast<int>(bytes)) {
    throw IoError(name + ": a damaged Blosc chunk");
  }
  return out;
}

std::string encodeVlenUtf8(const std::vector<std::string_view>& items) {
  std::size_t size = 4;
  for (std::string_view item : items) size += 4 + item.size();
  std::string out;
  out.reserve(size);
  putU32(out, static_cast<std::uint32_t>(items.size()));
  for (std::string_view item : items) {
    putU32(out, static_cast<std::uint32_t>(item.size()));
    out.append(item);
  }
  return out;
}

std::vector<std::string> decodeVlenUtf8(std::string_view bytes,
                                        const std::string& name) {
  auto damaged = [&] { return IoError(name + ": damaged vlen-utf8 strings"); };
  if (bytes.size() < 4) throw damaged();
  std::vector<std::string> items(getU32(bytes, 0));
  std::size_t at = 4;
  for (std::string& item : items) {
    if (bytes.size() - at < 4) throw damaged();
    const std::uint32_t size = getU32(bytes, at);
    at += 4;
    if (bytes.size() - at < size) throw damaged();
    item = bytes.substr(at, size);
    at += size;
  }
  return items;
}

std::size_t ZarrArraySpec::itemSize() const {
  if (dtype.size() < 3 || isString()) return 1;
  return static_cast<std::size_t>(std::atoi(dtype.c_str() + 2));
}

std::string ZarrArraySpec::chunkKey(
    const std::vector<std::uint64_t>& index) const {
  std::string key = name;
  for (std::uint64_t i : index) {
    key.push_back('/');
    key.append(std::to_string(i));
  }
  return key;
}

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

ZarrStore::ZarrStore(std::string target)
    : target_(withoutTrailingSlashes(std::move(target))) {
  std::error_code error;
  if (fs::exists(target_, error) &&
      (!fs::is_directory(target_) || !isEmptyOrZarrGroup(target_))) {
    throw IoError("'" + target_ +
                  "' exists and is not a Zarr store: it is not replaced "
                  "(remove it, or choose another output)");
  }
  const fs::path path(target_);
  std::string folder = path.parent_path().empty()
                           ? std::string()
                           : path.parent_path().string() + "/";
  std::string pattern =
      folder + "." + path.filename().string() + ".hapmat-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throwIoError("cannot create output", target_, errno);
  }
  ::chmod(
      pattern.c_str(), 0777 & ~[] {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        return mask;
      }());
  tempPath_ = pattern;
}

ZarrStore::~ZarrStore() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove_all(tempPath_, ignored);
  }
}

void ZarrStore::defineArray(const ZarrArraySpec& spec) {
  makeFolder(tempPath_ + "/" + spec.name);
  metadata_[spec.name + "/.zarray"] = zarrayJson(spec);
  metadata_[spec.name + "/.zattrs"] = zattrsJson(spec);
}

void ZarrStore::writeChunk(const ZarrArraySpec& spec,
                           const std::vector<std::uint64_t>& index,
                           std::string_view bytes) {
  const std::string key = spec.chunkKey(index);
  {
    std::lock_guard lock(folders_);
    for (std::size_t slash = key.find('/'); slash != std::string::npos;
         slash = key.find('/', slash + 1)) {
      makeFolder(tempPath_ + "/" + key.substr(0, slash));
    }
  }
  writeFile(key, bloscCompress(bytes, spec.itemSize(), spec.shuffle));
}

std::string ZarrStore::readChunk(
    const ZarrArraySpec& spec, const std::vector<std::uint64_t>& index) const {
  const std::string path = tempPath_ + "/" + spec.chunkKey(index);
  std::string bytes;
  bytes.resize(fs::file_size(path));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throwIoError("cannot read", path, errno);
  const ssize_t got = ::read(fd, bytes.data(), bytes.size());
  ::close(fd);
  if (got != static_cast<ssize_t>(bytes.size())) {
    throwIoError("cannot read", path, errno);
  }
  return bloscDecompress(bytes, path);
}

void ZarrStore::writeFile(const std::string& key,
                          std::string_view bytes) const {
  const std::string path = tempPath_ + "/" + key;
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) throwIoError("cannot write", path, errno);
  while (!bytes.empty()) {
    const ssize_t wrote = ::write(fd, bytes.data(), bytes.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      const int error = errno;
      ::close(fd);
      throwIoError("cannot write", path, error);
    }
    bytes.remove_prefix(static_cast<std::size_t>(wrote));
  }
  if (::close(fd) != 0) throwIoError("cannot write", path, errno);
}

// The consolidated metadata holds every other metadata file as a JSON
// object, so a reader opens the whole store with one read.
std::uint64_t ZarrStore::commit(const std::string& groupAttributes) {
  metadata_[".zattrs"] = groupAttributes;
  metadata_[".zgroup"] = "{\n    \"zarr_format\": 2\n}";
  std::string consolidated = "{\n    \"metadata\": {";
  bool first = true;
  for (const auto& [key, json] : metadata_) {
    writeFile(key, json);
    consolidated += (first ? "\n" : ",\n") + jsonString(key) + ": " + json;
    first = false;
  }
  consolidated += "\n    },\n    \"zarr_consolidated_format\": 1\n}";
  writeFile(".zmetadata", consolidated);
  std::uint64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(tempPath_)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  std::string old;
  if (fs::exists(target_)) {
    old = tempPath_ + "-old";
    if (::rename(target_.c_str(), old.c_str()) != 0) {
      throwIoError("cannot replace", target_, errno);
    }
  }
  if (::rename(tempPath_.c_str(), target_.c_str()) != 0) {
    const int error = errno;
    if (!old.empty()) ::rename(old.c_str(), target_.c_str());
    throwIoError("cannot put the store in place at", target_, error);
  }
  committed_ = true;
  std::error_code ignored;
  if (!old.empty()) fs::remove_all(old, ignored);
  return bytes;
}

// getdents64 into a buffer on the stack: no allocation, so a signal handler
// may call it. The store is a few levels deep.
void removeTreeForSignal(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    ::unlink(path);
    return;
  }
  alignas(8) char buffer[4096];
  // Removing entries while reading the folder may skip some: read it again
  // until a pass removes nothing.
  for (bool removed = true; removed;) {
    removed = false;
    ::lseek(fd, 0, SEEK_SET);
    for (;;) {
      const long got = ::syscall(SYS_getdents64, fd, buffer, sizeof buffer);
      if (got <= 0) break;
      for (long at = 0; at < got;) {
        auto* entry = reinterpret_cast<struct dirent64*>(buffer + at);
        at += entry->d_reclen;
        const char* name = entry->d_name;
        if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) {
          continue;
        }
        char child[4096];
        const std::size_t length = std::strlen(path);
        const std::size_t nameLength = std::strlen(name);
        if (length + nameLength + 2 > sizeof child) continue;
        std::memcpy(child, path, length);
        child[length] = '/';
        std::memcpy(child + length + 1, name, nameLength + 1);
        if (entry->d_type == DT_DIR) {
          removeTreeForSignal(child);
        } else {
          ::unlink(child);
        }
        removed = true;
      }
    }
  }
  ::close(fd);
  ::rmdir(path);
}

}  // namespace hapmat
