#include "engine/conversion.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "hapmat/error.hpp"
#include "hapmat/output.hpp"
#include "io/block_reader.hpp"
#include "io/compressed_input.hpp"
#include "io/random_lines.hpp"
#include "io/spool_sink.hpp"
#include "matrix/contig_prediction.hpp"
#include "matrix/region_span.hpp"
#include "matrix/sample_selection.hpp"
#include "rows/text_row_converter.hpp"

namespace hapmat {

namespace {

FormatOptions formatOptions(const ConvertOptions& options) {
  FormatOptions format;
  switch (options.format) {
    case OutputFormat::kHaplotype:
      format.kind = FormatKind::kTable;
      break;
    case OutputFormat::kPhaseExtender:
      format.kind = FormatKind::kPanel;
      break;
    case OutputFormat::kVcf:
      format.kind = FormatKind::kVcf;
      break;
    case OutputFormat::kBcf:  // VCF records, encoded by convert()'s BcfSink
      format.kind = FormatKind::kVcf;
      format.bcf = true;
      break;
  }
  format.tableDelimiter = options.outDelimiter;
  format.missing = options.missing == MissingGenotype::kRef
                       ? MissingAllele::kRef
                       : MissingAllele::kDot;
  format.haploid = options.haploid;
  return format;
}

bool isRegularFile(const std::string& path) {
  struct stat info {};
  return path != "-" && ::stat(path.c_str(), &info) == 0 &&
         S_ISREG(info.st_mode);
}

// A VCF header lists the contigs before any row. Without --fai they are
// the rows' CHROMs: for an output that cannot be rewritten at the end, a
// file is read for them first (Conversion::contigCheck); a pipe, which can
// be read only once, has its rows held in a spool until the end. A range of
// the file (a part, the regions' span) has the whole file's guessed
// contigs instead.
bool needsSpool(const ConvertOptions& options, bool ranged,
                const ByteSink& out) {
  return hasVcfRecords(options.format) && options.faiPath.empty() && !ranged &&
         !out.canReplaceHeader() && !isRegularFile(options.inputPath);
}

bool asksDeletions(const ConvertOptions& options) {
  return hasVcfRecords(options.format) && options.gaps == VcfGaps::kDeletions;
}

std::unique_ptr<RegionSet> makeRegions(const ConvertOptions& options) {
  if (!options.regions.empty() && !options.regionsFile.empty()) {
    throw UsageError("give --regions or --regions-file, not both");
  }
  if (!options.regions.empty()) {
    return std::make_unique<RegionSet>(parseRegions(options.regions));
  }
  if (!options.regionsFile.empty()) {
    return std::make_unique<RegionSet>(readRegionsFile(options.regionsFile));
  }
  return nullptr;
}

}  // namespace

Conversion::Conversion(const ConvertOptions& options, ByteSink& out,
                       ContigSource contigs)
    : options_(options),
      bcf_(options.format == OutputFormat::kBcf ? std::make_unique<BcfSink>(out)
                                                : nullptr),
      out_(bcf_ ? *bcf_ : out),
      regions_(makeRegions(options)),
      // With deletions the converters write every row, for the joiner.
      selection_{asksDeletions(options) ? nullptr : regions_.get(),
                 options.allSites},
      source_(LineSource::open(options.inputPath,
                               {options.blockSize, options.maxLineBytes})),
      reader_(readPrologue()),
      samples_(chooseSamples()),
      recordSamples_(chooseRecordSamples()),
      part_(openRange()),
      rows_(part_ ? part_.get() : source_.get()),
      writer_(makeRowWriter(formatOptions(options), recordSamples_)),
      headerWriter_(makeRowWriter(formatOptions(options), samples_)),
      spool_(needsSpool(options, part_ != nullptr, out_)
                 ? std::make_unique<SpoolSink>()
                 : nullptr),
      sink_(spool_ ? static_cast<ByteSink*>(spool_.get()) : &out_),
      tally_(reader_.name(), options, contigCheck(out, contigs)) {
  if (!part_) {
    std::uint64_t prologue = reader_.prologueLines();
    linesBefore_ = [prologue] { return prologue; };
  }
  tally_.setLinesBefore(linesBefore_);
  if (asksDeletions(options)) {
    std::vector<std::size_t> haplotypeColumns;
    for (const SamplePair& sample : recordSamples_) {
      haplotypeColumns.push_back(sample.first);
      if (!options.haploid) haplotypeColumns.push_back(sample.second);
    }
    deletions_ = std::make_unique<DeletionJoiner>(
        std::move(haplotypeColumns), static_cast<char>(reader_.delimiter()),
        columns(), options.maxDeletion, options.haploid);
    deletions_->selectRegions(regions_.get());
    deletions_->writeAllSites(options.allSites);
    if (samples_ != recordSamples_) sampleSubset_.emplace(keptSamples());
    if (part_ && part_->range()->begin > 0) warmUpDeletions();
  }
  writeHeader();
}

Conversion::~Conversion() = default;

TextChunk& Conversion::firstChunk() {
  return partStart_ ? partStart_->rest() : reader_.firstChunk();
}

// The samples of the records the writer makes: those written, but with
// deletions every pair, from which the joined records' are picked.
std::vector<SamplePair> Conversion::chooseRecordSamples() const {
  if (!asksDeletions(options_)) return samples_;
  if (options_.haploid) return haploidSamples(reader_.columns());
  return samplePairs(options_.pairsPath, reader_.columns());
}

// Each written sample's place among the records' samples.
std::vector<std::size_t> Conversion::keptSamples() const {
  std::vector<std::size_t> kept;
  for (const SamplePair& sample : samples_) {
    kept.push_back(static_cast<std::size_t>(
        std::find(recordSamples_.begin(), recordSamples_.end(), sample) -
        recordSamples_.begin()));
  }
  return kept;
}

// -s/-S pick among the samples of the layout: pairs, or with --haploid
// every haplotype column.
std::vector<SamplePair> Conversion::chooseSamples() const {
  const std::vector<std::string>& columns = reader_.columns();
  std::vector<SamplePair> samples;
  if (options_.haploid) {
    if (!hasVcfRecords(options_.format)) {
      throw UsageError(
          "--haploid applies to --format vcf only: a haplotype table and a "
          "phase-Extender panel are made of pairs of haplotypes");
    }
    if (!options_.pairsPath.empty()) {
      throw UsageError(
          "--haploid makes each haplotype column a sample of its own: it "
          "takes no --pairs");
    }
    samples = haploidSamples(columns);
  } else {
    samples = samplePairs(options_.pairsPath, columns);
  }
  if (!options_.samples.empty() && !options_.samplesFile.empty()) {
    throw UsageError("give --samples or --samples-file, not both");
  }
  if (!options_.samples.empty()) {
    return selectSamples(samples, parseSampleList(options_.samples));
  }
  if (!options_.samplesFile.empty()) {
    return selectSamples(samples, readSampleFile(options_.samplesFile));
  }
  return samples;
}

const std::vector<std::string>& Conversion::predictedChroms() {
  if (!predicted_) {
    const RowCheck rows = keptRows();
    predicted_ = predictChroms(options_.inputPath, reader_.delimiter(), &rows);
  }
  return *predicted_;
}

// The rows come from a range of the file for a part, and for regions when
// the file can be bisected; both: their overlap.
std::unique_ptr<LineSource> Conversion::openRange() {
  if (regions_) {
    span_ = regionSpan(options_.inputPath, reader_.delimiter(), *regions_,
                       predictedChroms());
  }
  if (!options_.part && !span_) return nullptr;
  return openPart(span_.value_or(ByteRange{0, ~std::uint64_t{0}}));
}

// A part reads the column names from the start of the file (source_), and
// its rows from its range. A range that starts before the prologue's end
// (tiny files, or many parts) skips the prologue's lines in it: the lines
// before it are counted then, cheaply; otherwise only for an error.
std::unique_ptr<LineSource> Conversion::openPart(ByteRange within) {
  const Part part = options_.part.value_or(Part{});
  if (part.count == 0 || part.index == 0 || part.index > part.count) {
    throw UsageError("--part K/N needs 1 <= K <= N, got " +
                     std::to_string(part.index) + "/" +
                     std::to_string(part.count));
  }
  std::unique_ptr<LineSource> range = LineSource::openPart(
      options_.inputPath, {options_.blockSize, options_.maxLineBytes},
      part.index, part.count, within);
  partStart_.emplace(*range);
  const std::uint64_t prologue = reader_.prologueLines();
  LineSource* counted = range.get();
  if (range->range()->begin >= source_->fileBytesRead()) {
    linesBefore_ = [counted] { return counted->linesBefore(); };
    return range;
  }
  std::uint64_t before = range->linesBefore();
  std::string_view line;
  // The cursor drops a byte order mark at the file's start when it shows
  // the first line, also a data line (--header), as the prologue's does.
  if (range->range()->begin == 0) partStart_->peek(line);
  for (std::uint64_t at = before; at < prologue && partStart_->peek(line);
       ++at) {
    partStart_->next();
  }
  before = std::max(before, prologue);
  linesBefore_ = [before] { return before; };
  return range;
}

void Conversion::writeHeader() {
  std::string header;
  const auto& contigs = tally_.contigs();
  headerWriter_->appendHeader(header, contigs ? std::span(contigs->written())
                                              : std::span<const Contig>());
  if (options_.part && options_.part->index > 1) {
    return sink_->omitHeader(header);
  }
  sink_->write(header);
  sink_->endHeader();
  headerBytes_ = header.size();
}

// The prologue is read from source_: rows_ (and part_) are set up only after
// it, so an error in it must not look at them.
MatrixReader Conversion::readPrologue() {
  try {
    return MatrixReader(*source_, {options_.headerPath, options_.delimiter});
  } catch (const InputError& error) {
    rethrow(*source_, error, source_->checkedEnd());
  }
}

void Conversion::rethrow(const InputError& error) {
  std::optional<CheckedPosition> checked = tally_.checkedEnd();
  rethrow(*rows_, error, checked ? checked : rows_->checkedEnd());
}

// A gzip member's text is trusted only once its CRC-32 and length check,
// at its end: the stream's damage is reported where the checked text ends
// (the first line not checked whole), whatever was found after it, so the
// place does not depend on how far the text had been read. `checked` is
// the latest checked end the lines read so far found; the damage is placed
// there when it is the last one the stream checked.
void Conversion::rethrow(LineSource& source, const InputError& error,
                         std::optional<CheckedPosition> checked) {
  if (std::optional<StreamDamage> damage = source.damage()) {
    if (!checked && damage->checkedBytes == 0) checked = CheckedPosition{};
    if (checked && checked->textOffset == damage->checkedBytes &&
        (checked->line < error.line() || (checked->line == error.line() &&
                                          checked->column <= error.column()))) {
      throw InputError(error.file(), checked->line, checked->column,
                       InputEndedEarly(damage->error, 0).what());
    }
  }
  if (source.lacksBgzfEofBlock()) {
    throw InputError(error.file(), error.line(), error.column(),
                     error.reason() + " (" + kNoBgzfEofBlock + ")");
  }
  throw error;
}

// With --fai the header lists its sequences; otherwise the CHROMs the input
// is expected to hold (see contig_prediction.hpp), checked against the rows:
// a whole run rewrites its header when they differ, a part cannot (part 1
// wrote it) and holds its rows to it. An output that cannot be rewritten
// gets the CHROMs read from the whole input first (or the spool's header
// is rewritten); but a BCF to a file takes the prediction, and the file is
// started again when the rows prove it wrong (hapmat::convert).
std::optional<ContigCheck> Conversion::contigCheck(const ByteSink& out,
                                                   ContigSource source) {
  if (!hasVcfRecords(options_.format)) return std::nullopt;
  if (!options_.faiPath.empty()) {
    return ContigCheck::fromFai(readFai(options_.faiPath), options_.faiPath);
  }
  std::vector<std::string> chroms;
  bool predicted = false;
  if (!spool_) {
    if (!part_ && !out_.canReplaceHeader()) {
      if (bcf_ && out.canReplaceHeader() &&
          source == ContigSource::kPredicted) {
        chroms = predictedChroms();
        predicted = !chroms.empty();
      }
      if (!predicted) {
        std::unique_ptr<LineSource> input = LineSource::open(
            options_.inputPath, {options_.blockSize, options_.maxLineBytes});
        chroms = scanChroms(*input, reader_.prologueLines(),
                            reader_.delimiter(), keptRows());
      }
    } else {
      chroms = predictedChroms();
    }
  }
  std::vector<Contig> expected;
  for (std::string& chrom : chroms) expected.push_back({std::move(chrom), 0});
  if (part_) {
    return ContigCheck::following(std::move(expected), !options_.part);
  }
  if (predicted) return ContigCheck::predicted(std::move(expected));
  return ContigCheck::collecting(std::move(expected));
}

// The rows a conversion keeps: those it does not skip as bad (a bad row
// stops a run without --skip-bad-rows, so then it does not matter). Only a
// VCF's contigs ask, for a few lines.
RowCheck Conversion::keptRows() const {
  // Its own writer: the contigs are guessed before writer_ is made.
  std::shared_ptr<const RowWriter> writer =
      makeRowWriter(formatOptions(options_), samples_);
  auto rows = std::make_shared<TextRowConverter>(*writer, columns(),
                                                 reader_.delimiter());
  auto out = std::make_shared<ByteBuffer>();
  return {[writer, rows, out](std::string_view line) {
            out->clear();
            return rows->convert(line, *out) != RowOutcome::kBad;
          },
          options_.maxLineBytes};
}

// A part checks that its CHROMs join the next part's: the first row after
// its range (where that part begins) that the conversion keeps. A damaged
// block there is the next part's to report, at its line.
void Conversion::checkNextPart() {
  const auto& contigs = tally_.contigs();
  if (!options_.part || !contigs) return;
  std::unique_ptr<RandomLines> lines = RandomLines::open(options_.inputPath);
  const char delimiter = static_cast<char>(reader_.delimiter());
  const RowCheck rows = keptRows();
  std::optional<std::string> next;
  try {
    lines->visit(
        part_->range()->end,
        [&](std::uint64_t, std::string_view line) {
          if (line.ends_with('\r')) line.remove_suffix(1);
          if (line.empty() || line.size() > rows.maxLineBytes ||
              !rows.keeps(line)) {
            return true;
          }
          next = std::string(line.substr(0, line.find(delimiter)));
          return false;
        },
        rows.maxLineBytes + 1);
  } catch (const CorruptStream&) {
    return;
  }
  if (!next) return;
  if (std::optional<RowProblem> problem = contigs->seeNextPart(*next)) {
    tally_.failAtNextLine(problem->column, problem->reason);
  }
}

// A BCF's text may be encoded before its rows are tallied (the reference
// engine's long chunks): a CHROM the predicted header lacks shows there.
void Conversion::writeRows(const StretchTally& stretch, std::string_view rows,
                           bool textKept) {
  if (!deletions_) {
    try {
      return write(rows);
    } catch (const std::invalid_argument&) {
      const auto& contigs = tally_.contigs();
      if (contigs && contigs->isPrediction()) throw ContigsMispredicted();
      throw;
    }
  }
  joined_.clear();
  deletions_->add(stretch.trace, rows, joined_, textKept);
  writeJoined();
}

std::unique_ptr<DeletionJoiner> Conversion::chunkJoiner() const {
  return deletions_ ? deletions_->sameKind() : nullptr;
}

bool Conversion::writeJoinedRows(const StretchTally& stretch,
                                 std::string_view rows, DeletionJoiner& alone,
                                 std::string_view aloneOut) {
  joined_.clear();
  const bool joined =
      deletions_->joinBorder(alone, aloneOut, stretch.trace, rows, joined_);
  writeJoined();
  return joined;
}

// VCF deletions in a part: its records are the whole run's that start at
// its rows. The joiner starts on rows before them, as many as a deletion
// and its left-alignment can span (3 x --max-deletion, estimated in bytes
// from the columns; BGZF offsets cover more), and reads on after them until
// no row can change its records. With regions read from the middle of the
// file (the span), the rows before it are the run's own, as for the part
// that holds the span's start: a record that starts there may overlap the
// first region.
void Conversion::warmUpDeletions() {
  const ByteRange own = *part_->range();
  const std::uint64_t rowBytes = 2 * columns() + 32;
  const std::uint64_t back = (3 * options_.maxDeletion + 64) * rowBytes;
  const std::uint64_t from = own.begin > back ? own.begin - back : 0;
  const bool startsSpan =
      span_ && own.begin == span_->begin && own.end > own.begin;
  if (!startsSpan) {
    deletions_->setOwn(false);
  } else if (from > 0) {
    deletions_->startAtHorizon();
  }
  feedDeletions({from, own.begin}, false);
  deletions_->setOwn(true);
}

void Conversion::readOnDeletions() {
  deletions_->setOwn(false);
  if (deletions_->settled()) return;
  feedDeletions({part_->range()->end, ~std::uint64_t{0}}, true);
}

// Rows of `range` for the joiner only: bad ones are another part's to
// report, and skipped.
void Conversion::feedDeletions(ByteRange range, bool untilSettled) {
  std::unique_ptr<LineSource> lines = LineSource::openRange(
      options_.inputPath, {options_.blockSize, options_.maxLineBytes}, range);
  TextRowConverter rows(*writer_, columns(), reader_.delimiter());
  StretchTally stretch;
  stretch.tracksRows = true;
  rows.setTracksMissing(tracksMissing());
  ByteBuffer records;
  TextChunk chunk;
  while (lines->next(chunk)) {
    auto convert = [&](std::string_view line) {
      convertLine(rows, line, true, stretch, records);
    };
    if (chunk.bridge) convert(*chunk.bridge);
    for (std::string_view text = chunk.lines; !text.empty();) {
      const std::size_t end = text.find('\n');
      convert(text.substr(0, end));
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    }
    joined_.clear();
    deletions_->add(stretch.trace, records, joined_);
    writeJoined();
    stretch.clear();
    records.clear();
    if (untilSettled && deletions_->settled()) return;
  }
}

const BcfHeader* Conversion::bcfHeader() const {
  return bcf_ && !spool_ && !deletions_ ? bcf_->header() : nullptr;
}

void Conversion::writeEncodedRows(std::string_view bcf) {
  bcf_->writeEncoded(bcf);
}

int Conversion::blockLevel() const {
  return sink_ == &out_ && !deletions_ ? out_.blockLevel() : -1;
}

void Conversion::writeBlocks(std::string_view blocks, std::uint64_t textBytes) {
  out_.writeBlocks(blocks, textBytes);
  bodyBytes_ += textBytes;
}

void Conversion::writeJoined() {
  if (!sampleSubset_) return write(joined_);
  subset_.clear();
  sampleSubset_->apply(joined_, subset_);
  write(subset_);
}

void Conversion::write(std::string_view bytes) {
  sink_->write(bytes);
  bodyBytes_ += bytes.size();
}

Stats Conversion::finish() {
  if (deletions_) {
    if (part_) readOnDeletions();
    joined_.clear();
    deletions_->finish(joined_);
    writeJoined();
  }
  checkNextPart();
  const auto& contigs = tally_.contigs();
  if (contigs && !contigs->headerMatches()) {
    if (contigs->isPrediction()) throw ContigsMispredicted();
    if (!sink_->canReplaceHeader()) {
      throw IoError(reader_.name() +
                    ": the file changed while it was converted: its rows' "
                    "CHROMs are not those read before them");
    }
    std::string header;
    headerWriter_->appendHeader(header, contigs->seen());
    sink_->replaceHeader(header);
    headerBytes_ = header.size();
  }
  if (spool_) spool_->copyTo(out_);
  Stats stats = tally_.stats();
  stats.bytesRead = rows_->textBytesRead();
  stats.warnings = rows_->warnings();
  // A CHROM misspelt in -r selects nothing, as in bcftools; say so.
  if (regions_ && !options_.part && !deletions_ &&
      stats.rowsRead == stats.rowsOutsideRegions + stats.rowsSkipped) {
    stats.warnings.push_back(reader_.name() +
                             ": no row is in the regions given (-r/-R); "
                             "their CHROMs are compared as written");
  }
  if (regions_ && !options_.part && deletions_ &&
      deletions_->counts().recordsOut == 0) {
    stats.warnings.push_back(reader_.name() +
                             ": no record overlaps the regions given "
                             "(-r/-R); their CHROMs are compared as written");
  }
  stats.bytesWritten = headerBytes_ + bodyBytes_;
  if (bcf_) {
    bcf_->finish();
    stats.bytesWritten = bcf_->bytesWritten();
  }
  stats.columnsInNoSample = columnsInNoSample(reader_.columns(), samples_);
  if (span_ && !options_.part) {
    stats.bytesSkippedByRegions =
        std::filesystem::file_size(options_.inputPath) -
        (span_->end - span_->begin);
  }
  if (deletions_) {
    const DeletionCounts& counts = deletions_->counts();
    stats.rowsWritten = counts.recordsOut;
    stats.vcfRecordsOutsideRegions = counts.outsideRegions;
    stats.vcfDeletions = counts.deletions;
    stats.vcfDeletionsMissing = counts.longDeletions;
  }
  return stats;
}

}  // namespace hapmat
