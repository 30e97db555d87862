// A libFuzzer-compatible driver for builds without libFuzzer (GCC, the sanitizer test build):
// runs every seed in the corpus directories, then a bounded number of deterministic mutations of
// them. `make test` runs it so every fuzz target is exercised on each build; real fuzzing uses
// clang's -fsanitize=fuzzer (see fuzz/CMakeLists.txt).
//   fuzz_<name> CORPUS_DIR... [--runs N] [--seconds S]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void mutate(std::vector<uint8_t>& input, const std::vector<std::vector<uint8_t>>& seeds,
            std::mt19937_64& rng) {
  int steps = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < steps; ++i) {
    switch (rng() % 6) {
      case 0:  // flip a bit
        if (!input.empty()) input[rng() % input.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
        break;
      case 1: {  // insert an interesting byte
        static constexpr char kInteresting[] = "{}[]\":,\\\n\r0-e.";
        input.insert(input.begin() + static_cast<long>(input.empty() ? 0 : rng() % input.size()),
                     static_cast<uint8_t>(kInteresting[rng() % (sizeof kInteresting - 1)]));
        break;
      }
      case 2:  // delete a range
        if (input.size() > 1) {
          size_t at = rng() % input.size();
          size_t n = std::min<size_t>(1 + rng() % 8, input.size() - at);
          input.erase(input.begin() + static_cast<long>(at),
                      input.begin() + static_cast<long>(at + n));
        }
        break;
      case 3: {  // splice another seed in
        const auto& other = seeds[rng() % seeds.size()];
        if (!other.empty()) {
          size_t from = rng() % other.size();
          size_t at = input.empty() ? 0 : rng() % input.size();
          input.insert(input.begin() + static_cast<long>(at),
                       other.begin() + static_cast<long>(from), other.end());
        }
        break;
      }
      case 4:  // duplicate a range (nesting, long lines)
        if (!input.empty() && input.size() < 65536) {
          size_t at = rng() % input.size();
          size_t n = std::min<size_t>(1 + rng() % 64, input.size() - at);
          std::vector<uint8_t> copy(input.begin() + static_cast<long>(at),
                                    input.begin() + static_cast<long>(at + n));
          for (int k = 0; k < 1 + static_cast<int>(rng() % 16); ++k) {
            input.insert(input.begin() + static_cast<long>(at), copy.begin(), copy.end());
          }
        }
        break;
      default:  // random byte
        if (!input.empty()) input[rng() % input.size()] = static_cast<uint8_t>(rng());
        break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> dirs;
  long runs = 20000;
  double seconds = 20;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::atol(argv[++i]);
    } else if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      dirs.emplace_back(argv[i]);
    }
  }
  std::vector<std::vector<uint8_t>> seeds;
  for (const auto& dir : dirs) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.is_regular_file()) seeds.push_back(read_file(entry.path()));
    }
  }
  if (seeds.empty()) seeds.push_back({});
  for (const auto& seed : seeds) LLVMFuzzerTestOneInput(seed.data(), seed.size());
  std::mt19937_64 rng(0x6f6d6b);  // fixed: a failure reproduces
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  long done = 0;
  for (; done < runs && std::chrono::steady_clock::now() < deadline; ++done) {
    std::vector<uint8_t> input = seeds[rng() % seeds.size()];
    mutate(input, seeds, rng);
    LLVMFuzzerTestOneInput(input.data(), input.size());
  }
  std::printf("fuzz: %zu seeds, %ld mutated inputs, no failure\n", seeds.size(), done);
  return 0;
}
