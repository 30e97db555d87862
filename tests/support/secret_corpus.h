#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace omk::test {

// tests/corpus/secrets/cases.toml: per rule, templates of true positives and near misses.
struct SecretCase {
  std::string rule;
  std::vector<std::string> tp;
  std::vector<std::string> fp;
};

std::vector<SecretCase> load_secret_cases(const std::string& file);
std::string secret_cases_file();  // the file in this source tree

// Expands templates ("ghp_{a:36}", "{uuid}", "{pem:10}") with random characters of the right
// classes, so no real credential is ever written down. Deterministic for a seed.
class TokenGenerator {
 public:
  explicit TokenGenerator(uint64_t seed) : rng_(seed) {}
  std::string expand(std::string_view text);
  std::string random(std::string_view alphabet, size_t count);
  std::mt19937_64& rng() { return rng_; }
  size_t below(size_t bound) { return static_cast<size_t>(rng_() % bound); }

 private:
  std::mt19937_64 rng_;
};

// A source-like corpus with secrets planted at known lines, and near misses planted as
// negatives. Used by the planted-corpus test and bench/secrets.
struct PlantedSecret {
  std::string file;
  size_t line = 0;  // 1-based line where the secret's match starts
  std::string rule;
};

struct CorpusOptions {
  uint64_t seed = 1;
  size_t total_bytes = 1 << 20;
  size_t file_bytes = 32 * 1024;  // average file size
  double secrets_per_mb = 40;
  double near_misses_per_mb = 40;
};

// Calls `emit(name, content)` for each generated file (names like "src/mod12/file0345.py") and
// returns what was planted where.
std::vector<PlantedSecret> generate_planted_corpus(
    const std::vector<SecretCase>& cases, const CorpusOptions& options,
    const std::function<void(const std::string&, const std::string&)>& emit);

}  // namespace omk::test
