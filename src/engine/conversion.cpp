#include "engine/conversion.hpp"

#include "hapmat/error.hpp"
#include "hapmat/output.hpp"
#include "io/block_reader.hpp"
#include "io/spool_sink.hpp"
#include "matrix/contig_prediction.hpp"

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
  }
  format.tableDelimiter = options.outDelimiter;
  format.missing = options.missing == MissingGenotype::kRef
                       ? MissingAllele::kRef
                       : MissingAllele::kDot;
  return format;
}

// A VCF header lists the contigs before any row. Without --fai they are
// the rows' CHROMs: a stream that cannot be rewritten at the end holds the
// rows in a spool until then.
bool needsSpool(const ConvertOptions& options, const ByteSink& out) {
  return options.format == OutputFormat::kVcf && options.faiPath.empty() &&
         !out.canReplaceHeader();
}

}  // namespace

Conversion::Conversion(const ConvertOptions& options, ByteSink& out)
    : options_(options),
      out_(out),
      source_(LineSource::open(options.inputPath,
                               {options.blockSize, options.maxLineBytes})),
      reader_(readPrologue()),
      writer_(makeRowWriter(formatOptions(options),
                            samplePairs(options.pairsPath, reader_.columns()))),
      spool_(needsSpool(options, out) ? std::make_unique<SpoolSink>()
                                      : nullptr),
      sink_(spool_ ? static_cast<ByteSink*>(spool_.get()) : &out),
      tally_(reader_.name(), options, contigCheck()) {
  std::string header;
  const auto& contigs = tally_.contigs();
  writer_->appendHeader(header, contigs ? std::span(contigs->written())
                                        : std::span<const Contig>());
  sink_->write(header);
  sink_->endHeader();
  headerBytes_ = header.size();
}

Conversion::~Conversion() = default;

MatrixReader Conversion::readPrologue() {
  try {
    return MatrixReader(*source_, {options_.headerPath, options_.delimiter});
  } catch (const InputError& error) {
    rethrow(error);
  }
}

void Conversion::rethrow(const InputError& error) {
  if (source_->compression() == Compression::kBgzf &&
      !source_->warnings().empty()) {
    throw InputError(error.file(), error.line(), error.column(),
                     error.reason() + " (" + kNoBgzfEofBlock + ")");
  }
  if (std::optional<CorruptStream> damage = source_->damage()) {
    std::string streamError = InputEndedEarly(*damage, 0).what();
    if (error.reason() != streamError) {
      throw InputError(error.file(), error.line(), error.column(),
                       "damaged compressed stream: " + streamError +
                           "; the text here may not be what was compressed");
    }
  }
  throw error;
}

// With --fai the header lists its sequences; otherwise the CHROMs the input
// is expected to hold (see contig_prediction.hpp), checked against the rows.
std::optional<ContigCheck> Conversion::contigCheck() {
  if (options_.format != OutputFormat::kVcf) return std::nullopt;
  if (!options_.faiPath.empty()) {
    return ContigCheck::fromFai(readFai(options_.faiPath), options_.faiPath);
  }
  std::vector<Contig> expected;
  if (!spool_) {
    for (std::string& chrom :
         predictChroms(options_.inputPath, reader_.delimiter())) {
      expected.push_back({std::move(chrom), 0});
    }
  }
  return ContigCheck::collecting(std::move(expected));
}

void Conversion::write(std::string_view bytes) {
  sink_->write(bytes);
  bodyBytes_ += bytes.size();
}

Stats Conversion::finish() {
  const auto& contigs = tally_.contigs();
  if (contigs && !contigs->headerMatches()) {
    std::string header;
    writer_->appendHeader(header, contigs->seen());
    sink_->replaceHeader(header);
    headerBytes_ = header.size();
  }
  if (spool_) spool_->copyTo(out_);
  Stats stats = tally_.stats();
  stats.bytesRead = source_->textBytesRead();
  stats.warnings = source_->warnings();
  stats.bytesWritten = headerBytes_ + bodyBytes_;
  return stats;
}

}  // namespace hapmat
