// Writes a source-like corpus with planted secrets for bench/secrets/run:
//   omk_secrets_corpus OUT_DIR MEGABYTES SEED > planted.tsv
// Every planted secret is printed as "<file>\t<line>\t<rule>". Tokens are random, generated
// from tests/corpus/secrets/cases.toml; none is a real credential.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "secret_corpus.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: omk_secrets_corpus OUT_DIR MEGABYTES SEED > planted.tsv\n";
    return 2;
  }
  std::filesystem::path out = argv[1];
  omk::test::CorpusOptions options;
  options.total_bytes = static_cast<size_t>(std::stoul(argv[2])) << 20;
  options.seed = std::stoull(argv[3]);
  options.file_bytes = 48 * 1024;
  options.secrets_per_mb = 20;
  options.near_misses_per_mb = 20;
  auto cases = omk::test::load_secret_cases(omk::test::secret_cases_file());
  auto planted = omk::test::generate_planted_corpus(
      cases, options, [&](const std::string& name, const std::string& content) {
        std::filesystem::path file = out / name;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
      });
  for (const auto& p : planted) std::cout << p.file << '\t' << p.line << '\t' << p.rule << '\n';
  return 0;
}
