// hapmat_consumer HEADER MATRIX: prints the haplotype table hapmat::convert
// makes of MATRIX, whose column names are in HEADER.

#include <hapmat/convert.hpp>
#include <hapmat/error.hpp>
#include <hapmat/output.hpp>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: hapmat_consumer HEADER MATRIX\n";
    return 2;
  }
  hapmat::ConvertOptions options;
  options.headerPath = argv[1];
  options.inputPath = argv[2];
  hapmat::StringSink out;
  try {
    hapmat::Stats stats = hapmat::convert(options, out);
    std::cout << out.text();
    std::cerr << stats.rowsWritten << " of " << stats.rowsRead
              << " rows written\n";
  } catch (const std::exception& e) {
    std::cerr << "hapmat_consumer: " << e.what() << '\n';
    return 1;
  }
}
