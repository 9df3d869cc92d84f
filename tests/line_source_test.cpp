// The line source: whole lines in order whatever the input, the line that
// spans BGZF chunks bridged, the line limit held everywhere, and a broken
// input reported after exactly the lines before the break.

#include "io/line_source.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <random>
#include <set>

#include "compression_util.hpp"
#include "hapmat/error.hpp"
#include "io/mapped_range.hpp"
#include "test_util.hpp"

namespace hapmat {
namespace {

struct Lines {
  std::vector<std::string> lines;
  std::optional<LineFailure> failure;
  std::vector<std::string> warnings;
};

// Every line the source hands out, in order, and how it ended.
Lines readAll(const std::string& bytes, std::size_t blockSize,
              std::size_t maxLineBytes) {
  test::TempDir dir;
  test::writeFile(dir.file("in"), bytes);
  auto source = LineSource::open(dir.file("in"), {blockSize, maxLineBytes});
  Lines got;
  TextChunk chunk;
  while (source->next(chunk)) {
    if (chunk.bridge) got.lines.push_back(*chunk.bridge);
    std::string_view lines = chunk.lines;
    while (!lines.empty()) {
      std::size_t end = lines.find('\n');
      got.lines.emplace_back(lines.substr(0, end));
      lines.remove_prefix(end == std::string_view::npos ? lines.size()
                                                        : end + 1);
    }
    if (chunk.failure) {
      got.failure = chunk.failure;
      EXPECT_FALSE(source->next(chunk)) << "a chunk after the failure";
      break;
    }
  }
  got.warnings = source->warnings();
  return got;
}

std::string numbered(int count, std::size_t width) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    std::string line = std::to_string(i) + " ";
    line.resize(width - (i % 7), 'x');
    text += line + "\n";
  }
  return text;
}

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

TEST(LineSource, EveryInputGivesTheSameLines) {
  const std::string text = numbered(3000, 90) + "last line without newline";
  const std::vector<std::string> expected = linesOf(text);
  for (std::size_t blockSize : {4096, 65536}) {
    for (const std::string& bytes :
         {text, test::gzipMember(text), test::bgzf(text),
          test::bgzf(text, 1000), test::bgzf(text, 37),
          test::bgzf(text, 200) + test::bgzf("")}) {
      Lines got = readAll(bytes, blockSize, 1 << 20);
      EXPECT_EQ(got.lines, expected) << blockSize;
      EXPECT_FALSE(got.failure.has_value());
    }
  }
}

// A plain file's ranges are read by workers in any order: read() hands out
// every range first, prepare() reads them last to first; their lines, in
// order, are the file's, for ranges that cut lines anywhere and lines that
// span ranges. The text counted is the file's.
TEST(LineSource, RangesReadInAnyOrderGiveTheFilesLines) {
  const std::string text = numbered(60, 40) + std::string(300, 'w') + "\n" +
                           numbered(30, 25) + "last line without newline";
  test::TempDir dir;
  test::writeFile(dir.file("in"), text);
  for (std::size_t blockSize : {1, 2, 39, 40, 41, 64, 301, 4096}) {
    auto source = LineSource::open(dir.file("in"), {blockSize, 1 << 20});
    ASSERT_STREQ(source->prepareStage(), "pread");
    std::vector<TextChunk> chunks;
    for (TextChunk chunk; source->read(chunk);) {
      chunks.push_back(std::move(chunk));
    }
    EXPECT_EQ(chunks.size(), (text.size() + blockSize - 1) / blockSize);
    std::for_each(chunks.rbegin(), chunks.rend(),
                  [&](TextChunk& chunk) { source->prepare(chunk); });
    std::string joined;
    for (const TextChunk& chunk : chunks) {
      EXPECT_FALSE(chunk.bridge || chunk.failure);
      joined += chunk.lines;
    }
    EXPECT_EQ(joined, text) << blockSize;
    EXPECT_EQ(source->textBytesRead(), text.size());
    EXPECT_EQ(source->fileBytesRead(), text.size());
  }
}

// The first chunk, where the prologue is read, holds about 64 KiB of text
// whatever the block size: a run of a part or of regions reads nothing
// else there.
TEST(LineSource, TheFirstChunkIsSmall) {
  const std::string text = numbered(4000, 100);  // 400 KB
  test::TempDir dir;
  for (const std::string& bytes : {text, test::bgzf(text, 1000)}) {
    test::writeFile(dir.file("in"), bytes);
    auto source = LineSource::open(dir.file("in"), {1 << 20, 1 << 20});
    std::vector<std::size_t> sizes;
    for (TextChunk chunk; source->next(chunk);) {
      sizes.push_back(chunk.lines.size() +
                      (chunk.bridge ? chunk.bridge->size() + 1 : 0));
    }
    ASSERT_GE(sizes.size(), 2u);
    EXPECT_GE(sizes[0], (64u << 10) - 1000);
    EXPECT_LE(sizes[0], (64u << 10) + 1000);
    EXPECT_EQ(std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}),
              text.size());
  }
}

// The ranges of a plain file share mappings of its windows (several
// blocks each): with chunks held at once, as the pipeline's are, lines
// at a window's end (the range after it opens the next), lines longer than a
// block (read, not mapped), every line comes once and in order, in a whole file
// and in its parts.
TEST(LineSource, RangesSharingMappingsHandOutEveryLineOnce) {
  std::mt19937 random(23);
  std::string text;
  while (text.size() < (std::size_t{20} << 20)) {
    const std::size_t width =
        random() % 300 == 0 ? 200000 + random() % 1800000 : 1 + random() % 400;
    text += std::string(width, static_cast<char>('a' + random() % 26));
    text += '\n';
  }
  test::TempDir dir;
  const std::string path = dir.file("in");
  test::writeFile(path, text);
  const LineSourceOptions options{1 << 20, 4 << 20};
  for (unsigned count : {1u, 3u}) {
    std::string joined;
    std::set<std::uint64_t> windows;
    std::size_t chunksRead = 0;
    for (unsigned index = 1; index <= count; ++index) {
      auto source = count == 1
                        ? LineSource::open(path, options)
                        : LineSource::openPart(path, options, index, count);
      std::vector<TextChunk> chunks(4);
      for (;; ++chunksRead) {
        TextChunk& chunk = chunks[chunksRead % chunks.size()];
        if (!source->read(chunk)) break;
        source->prepare(chunk);
        source->stitch(chunk);
        ASSERT_FALSE(chunk.failure);
        joined += chunk.lines;
        if (chunk.mapping) windows.insert(chunk.mapping->fileOffset());
      }
    }
    EXPECT_TRUE(joined == text) << count << " parts";
    EXPECT_GE(windows.size(), 3u) << count << " parts";
    EXPECT_LE(windows.size(), chunksRead / 4) << count << " parts";
  }
}

// A plain file's chunk is read in place, through a mapping. Cut short while
// mapped (another program truncates it), reading the pages it lost is no
// crash (SIGBUS): they read as zeros, and verify() says the file changed;
// so does a chunk of its window read after the cut, and one read by pread (its
// last line longer than a block) that gets fewer bytes than the file had.
TEST(LineSource, AFileCutShortWhileReadIsAnErrorNotACrash) {
  const std::string text = numbered(20000, 100) + std::string(9000, 'w') +
                           "\n" + numbered(100, 100);  // 2 MB
  test::TempDir dir;
  const std::string path = dir.file("in");
  test::writeFile(path, text);
  const std::string expected =
      path +
      ": changed while it was read: it was cut short (convert it "
      "again once it is whole)";
  auto expectChanged = [&](const LineSource& source, const TextChunk& chunk) {
    try {
      source.verify(chunk);
      ADD_FAILURE() << "no MismatchError";
    } catch (const MismatchError& e) {
      EXPECT_EQ(e.what(), expected);
    }
  };
  auto source = LineSource::open(path, {1 << 20, 1 << 20});
  std::vector<TextChunk> chunks(3);
  for (TextChunk& chunk : chunks) ASSERT_TRUE(source->read(chunk));
  source->prepare(chunks[1]);  // [64 KiB, 1 MiB + 64 KiB): mapped
  ASSERT_NE(chunks[1].mapping, nullptr);
  EXPECT_EQ(chunks[1].mapping, chunks[2].mapping);  // one window
  const std::size_t start =
      chunks[1].mapping->fileOffset() +
      (chunks[1].lines.data() - chunks[1].mapping->data());
  ASSERT_EQ(chunks[1].lines, text.substr(start, chunks[1].lines.size()));
  source->verify(chunks[1]);  // whole so far
  const std::size_t cut = 100 << 10;
  std::filesystem::resize_file(path, cut);
  EXPECT_EQ(
      std::count(chunks[1].lines.begin(), chunks[1].lines.end(), '\0'),
      static_cast<std::ptrdiff_t>(chunks[1].lines.size() - (cut - start)));
  expectChanged(*source, chunks[1]);
  source->prepare(chunks[2]);  // its window's bytes read after the cut
  expectChanged(*source, chunks[2]);
  // pread: the range whose last line is longer than a block.
  test::writeFile(path, text);
  source = LineSource::open(path, {4096, 1 << 20});
  TextChunk chunk;
  const std::size_t longLine = text.find('w');
  while (source->read(chunk) && chunk.pending->end <= longLine) {
  }
  std::filesystem::resize_file(path, longLine + 10);
  EXPECT_THROW(source->prepare(chunk), MismatchError);
}

// The SIGBUS handler the mappings bring handles only their faults: a read
// past the end of a file mapped by someone else still ends the process (by
// SIGBUS, or as the sanitizer's handler that was there first ends it).
TEST(LineSourceDeathTest, AFaultOutsideItsMappingsStillEndsTheProcess) {
  test::TempDir dir;
  const std::string path = dir.file("in");
  test::writeFile(path, numbered(200, 100));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  MappedRange ours;  // installs the handler
  ASSERT_TRUE(ours.map(fd, 0, 100, 20000));
  auto readsPastItsEnd = [&] {
    const long page = ::sysconf(_SC_PAGESIZE);
    void* theirs = ::mmap(nullptr, 8 * page, PROT_READ, MAP_PRIVATE, fd, 0);
    ASSERT_NE(theirs, MAP_FAILED);
    volatile const char* byte = static_cast<const char*>(theirs) + 7 * page;
    (void)*byte;  // past the file's last page (20 KB): SIGBUS
  };
  EXPECT_EXIT(
      readsPastItsEnd(),
      [](int status) {
        return WIFSIGNALED(status) ||
               (WIFEXITED(status) && WEXITSTATUS(status) != 0);
      },
      "");
  ::close(fd);
}

// A line at the limit fails where it starts, in the head, the middle or the
// tail of a BGZF chunk, or spanning chunks; nothing after it is handed out.
TEST(LineSource, TheLineLimitStopsAtTheLongLine) {
  const std::size_t limit = 4096;
  for (std::size_t before : {0, 1, 40, 200}) {
    const std::string head = numbered(static_cast<int>(before), 20);
    const std::string text = head + std::string(limit, 'K') + "\n" +
                             std::string(limit + 1, 'L') + "\nafter\nmore\n";
    for (const std::string& bytes :
         {text, test::gzipMember(text), test::bgzf(text, 1000),
          test::bgzf(text, 5000), test::bgzf(text, 300)}) {
      for (std::size_t blockSize : {std::size_t{4096}, limit}) {
        Lines got = readAll(bytes, blockSize, limit);
        ASSERT_TRUE(got.failure.has_value()) << before;
        EXPECT_EQ(got.failure->column, 1u);
        EXPECT_EQ(got.lines, linesOf(head + std::string(limit, 'K') + "\n"))
            << before << " " << blockSize;
      }
    }
  }
}

TEST(LineSource, ABrokenStreamFailsAfterItsWholeLines) {
  const std::string text = numbered(500, 50);
  const std::string blocks = test::bgzf(text, 1000);
  // Cut inside the 7th block: its text never arrives.
  std::string cut = blocks.substr(0, blocks.size() / 2);
  Lines got = readAll(cut, 4096, 1 << 20);
  ASSERT_TRUE(got.failure.has_value());
  EXPECT_NE(got.failure->reason.find("truncated BGZF block"), std::string::npos)
      << got.failure->reason;
  std::size_t text0 = 0;
  for (const std::string& line : got.lines) text0 += line.size() + 1;
  // The partial line is counted in the failure's column.
  EXPECT_EQ(text.substr(0, text0), [&] {
    std::string joined;
    for (const std::string& line : got.lines) joined += line + "\n";
    return joined;
  }());
  EXPECT_GT(got.failure->column, 1u);
}

// A part reads on past its range to end its last line: a damaged block
// there cuts that line as it cuts the whole file's (the line is not handed
// out as the stream's last), so the part fails where the whole run does.
TEST(LineSource, ABrokenBlockInAPartsLastLineCutsItAsInTheWholeFile) {
  test::TempDir dir;
  const std::string text = "head\n" + std::string(60, 'x') + "\ntail\n";
  std::string blocks = test::bgzf(text, 10);
  // Blocks 0-3 whole (the line of x's begun), block 4 cut in half.
  std::size_t cut = 0;
  for (int block = 0; block < 4; ++block) {
    cut += 1 + static_cast<unsigned char>(blocks[cut + 16]) +
           256 * static_cast<unsigned char>(blocks[cut + 17]);
  }
  blocks.resize(cut + 22);  // its header whole, its data cut
  test::writeFile(dir.file("in"), blocks);
  const Lines whole = readAll(blocks, 4096, 1 << 20);
  ASSERT_TRUE(whole.failure.has_value());
  EXPECT_EQ(whole.lines, std::vector<std::string>{"head"});
  EXPECT_EQ(whole.failure->column, 36u);  // 35 x's in blocks 0-3
  for (unsigned count : {2u, 3u, 5u}) {
    auto part = LineSource::openPart(dir.file("in"), {4096, 1 << 20}, 1, count);
    std::vector<std::string> lines;
    std::optional<LineFailure> failure;
    TextChunk chunk;
    while (!failure && part->next(chunk)) {
      if (chunk.bridge) lines.push_back(*chunk.bridge);
      for (const std::string& line : linesOf(std::string(chunk.lines))) {
        if (!line.empty()) lines.push_back(line);
      }
      failure = chunk.failure;
    }
    EXPECT_EQ(lines, whole.lines) << count << " parts";
    ASSERT_TRUE(failure.has_value()) << count << " parts";
    EXPECT_EQ(failure->column, whole.failure->column) << count << " parts";
    EXPECT_NE(failure->reason.find("truncated BGZF block"), std::string::npos)
        << failure->reason;
  }
}

TEST(LineSource, ABgzfFileWithoutItsEndBlockIsInDoubt) {
  const std::string text = numbered(50, 30);
  std::string blocks = test::bgzf(text, 500);
  EXPECT_TRUE(readAll(blocks, 4096, 1 << 20).warnings.empty());
  blocks.resize(blocks.size() - test::kBgzfEof.size());
  Lines got = readAll(blocks, 4096, 1 << 20);
  EXPECT_EQ(got.lines, linesOf(text));
  ASSERT_EQ(got.warnings.size(), 1u);
  EXPECT_NE(got.warnings[0].find(kNoBgzfEofBlock), std::string::npos);
}

// The lines of parts 1..N of a file, each part's after the lines the part
// says come before it: together, every line once, in order.
std::vector<std::string> partsLines(const std::string& path, unsigned count,
                                    std::size_t blockSize) {
  std::vector<std::string> all;
  for (unsigned index = 1; index <= count; ++index) {
    auto source =
        LineSource::openPart(path, {blockSize, 1 << 20}, index, count);
    TextChunk chunk;
    std::size_t before = all.size();
    while (source->next(chunk)) {
      EXPECT_FALSE(chunk.failure.has_value()) << chunk.failure->reason;
      if (chunk.bridge) all.push_back(*chunk.bridge);
      std::string_view lines = chunk.lines;
      while (!lines.empty()) {
        std::size_t end = lines.find('\n');
        all.emplace_back(lines.substr(0, end));
        lines.remove_prefix(end == std::string_view::npos ? lines.size()
                                                          : end + 1);
      }
    }
    if (all.size() > before) {
      EXPECT_EQ(source->linesBefore(), before)
          << "part " << index << "/" << count;
    }
  }
  return all;
}

TEST(LineSource, PartsHoldEveryLineOnce) {
  test::TempDir dir;
  // Short lines, lines longer than a part, and no newline at the end.
  const std::string text = numbered(400, 60) + std::string(9000, 'w') + "\n" +
                           numbered(50, 30) + "tail";
  const std::vector<std::string> expected = linesOf(text);
  for (const auto& [name, bytes] :
       std::vector<std::pair<std::string, std::string>>{
           {"plain", text},
           {"bgzf", test::bgzf(text, 700)},
           {"bgzf-big", test::bgzf(text)}}) {
    test::writeFile(dir.file(name), bytes);
    for (unsigned count : {1u, 2u, 3u, 7u, 40u, 500u}) {
      for (std::size_t blockSize : {std::size_t{4096}, std::size_t{65536}}) {
        EXPECT_EQ(partsLines(dir.file(name), count, blockSize), expected)
            << name << " in " << count << " parts, blocks of " << blockSize;
      }
    }
  }
}

TEST(LineSource, PartsOfWhatCannotBeReadAtRandomAreRefused) {
  test::TempDir dir;
  test::writeFile(dir.file("in.gz"), test::gzipMember("a\nb\n"));
  try {
    LineSource::openPart(dir.file("in.gz"), {}, 1, 2);
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("recompress it with bgzip"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(LineSource::openPart("-", {}, 1, 2), UsageError);
}

TEST(LineSource, GzipDamageIsFoundByReadingToTheEnd) {
  const std::string text = numbered(2000, 60);
  std::string member = test::gzipMember(text);
  member[member.size() - 6] ^= 0x01;  // the CRC-32 of the trailer
  test::TempDir dir;
  test::writeFile(dir.file("in"), member);
  auto source = LineSource::open(dir.file("in"), {4096, 1 << 20});
  TextChunk chunk;
  ASSERT_TRUE(source->next(chunk));  // the first lines arrive unchecked
  std::optional<StreamDamage> damage = source->damage();
  ASSERT_TRUE(damage.has_value());
  EXPECT_STREQ(damage->error.what(), "gzip CRC-32 mismatch");
  EXPECT_EQ(damage->checkedBytes, 0u);
}

// `cat x.bgz y.gz` is one stream: the gzip after the BGZF blocks is read
// on, whatever the block size and wherever a line is cut. Parts refuse it:
// every part when the file ends with it, the part that meets it otherwise.
TEST(LineSource, PlainGzipAfterBgzfBlocks) {
  const std::string text = numbered(3000, 60);
  const std::size_t cut = text.size() / 3 + 7, cut2 = 2 * text.size() / 3;
  const std::string head = test::bgzf(text.substr(0, cut), 5000);
  const std::string mixed = head +
                            test::gzipMember(text.substr(cut, cut2 - cut)) +
                            test::gzipMember(text.substr(cut2));
  for (std::size_t blockSize : {4096, 16384, 1 << 20}) {
    Lines got = readAll(mixed, blockSize, 1 << 20);
    EXPECT_FALSE(got.failure.has_value()) << got.failure->reason;
    EXPECT_EQ(got.lines, linesOf(text)) << blockSize;
    EXPECT_TRUE(got.warnings.empty());
  }
  test::TempDir dir;
  test::writeFile(dir.file("in"), mixed);
  try {
    LineSource::openPart(dir.file("in"), {}, 2, 3);
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              dir.file("in") +
                  ": the file does not end with BGZF blocks: parts cannot be "
                  "read from a file with plain gzip members after its BGZF "
                  "blocks (convert it whole, or recompress it with bgzip)");
  }
  // Ending with BGZF blocks, a part reads up to the plain member and fails
  // there.
  test::writeFile(dir.file("in"), mixed + test::bgzf(text.substr(0, 100)));
  auto part = LineSource::openPart(dir.file("in"), {}, 1, 1);
  TextChunk chunk;
  std::optional<LineFailure> failure;
  while (!failure && part->next(chunk)) failure = chunk.failure;
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->reason,
            "a plain gzip member after the BGZF blocks: parts cannot be read "
            "from a file with plain gzip members after its BGZF blocks "
            "(convert it whole, or recompress it with bgzip) (compressed "
            "byte " +
                std::to_string(head.size()) + ")");
}

// After BGZF blocks, the checked end of the gzip text is placed at its
// line and column wherever it falls in a chunk: the line that bridges
// chunks, the whole lines, the line cut by the chunk's end.
TEST(LineSource, TheCheckedEndOfGzipAfterBgzfBlocks) {
  const std::string text = numbered(3000, 60);
  const std::size_t cut = 10007;
  auto place = [&](std::uint64_t offset) {
    std::uint64_t line = std::count(text.begin(), text.begin() + offset, '\n');
    std::size_t start = text.rfind('\n', offset - 1);
    return std::pair<std::uint64_t, std::uint64_t>{
        line + 1, start == std::string::npos ? offset + 1 : offset - start};
  };
  for (std::size_t cut2 = cut + 1; cut2 < cut + 9000; cut2 += 613) {
    const std::string bytes = test::bgzf(text.substr(0, cut), 3000) +
                              test::gzipMember(text.substr(cut, cut2 - cut)) +
                              test::gzipMember(text.substr(cut2));
    test::TempDir dir;
    test::writeFile(dir.file("in"), bytes);
    for (std::size_t blockSize : {4096, 5000, 8192}) {
      auto source = LineSource::open(dir.file("in"), {blockSize, 1 << 20});
      TextChunk chunk;
      std::uint64_t lines = 0;
      std::vector<std::uint64_t> offsets;
      while (source->next(chunk)) {
        if (chunk.checked) {
          offsets.push_back(chunk.checked->textOffset);
          const auto [line, column] = place(chunk.checked->textOffset);
          EXPECT_EQ(lines + chunk.checked->lines + 1, line)
              << cut2 << " " << blockSize;
          EXPECT_EQ(chunk.checked->column, column) << cut2 << " " << blockSize;
        }
        lines += (chunk.bridge ? 1 : 0) +
                 std::count(chunk.lines.begin(), chunk.lines.end(), '\n');
      }
      ASSERT_FALSE(offsets.empty());
      EXPECT_EQ(offsets.back(), text.size()) << cut2 << " " << blockSize;
    }
  }
}

// Where a gzip member ends, its text is checked: the chunk it ends in says
// where, after which line and at which column, whatever the block size (a
// chunk says where the last member that ends in it ends).
TEST(LineSource, AChunkSaysWhereAGzipMemberEndsInIt) {
  const std::string text = numbered(3000, 60);
  const std::size_t end = text.find('\n', 100000) + 11;  // column 11
  const std::uint64_t line =
      std::count(text.begin(), text.begin() + end, '\n') + 1;
  test::TempDir dir;
  test::writeFile(dir.file("in"), test::gzipMember(text.substr(0, end)) +
                                      test::gzipMember(text.substr(end)));
  for (std::size_t blockSize : {4096, 16384, 65536, 1 << 20}) {
    auto source = LineSource::open(dir.file("in"), {blockSize, 1 << 20});
    TextChunk chunk;
    std::uint64_t lines = 0;
    std::vector<CheckedPosition> found;
    while (source->next(chunk)) {
      if (chunk.checked) {
        found.push_back({chunk.checked->textOffset,
                         lines + chunk.checked->lines + 1,
                         chunk.checked->column});
      }
      lines += std::count(chunk.lines.begin(), chunk.lines.end(), '\n');
    }
    std::vector<CheckedPosition> expected = {{end, line, 11},
                                             {text.size(), 3001, 1}};
    if (blockSize > text.size()) expected.erase(expected.begin());
    ASSERT_EQ(found.size(), expected.size()) << blockSize;
    for (std::size_t i = 0; i < found.size(); ++i) {
      EXPECT_EQ(found[i].textOffset, expected[i].textOffset) << blockSize;
      EXPECT_EQ(found[i].line, expected[i].line) << blockSize;
      EXPECT_EQ(found[i].column, expected[i].column) << blockSize;
    }
  }
}

}  // namespace
}  // namespace hapmat
