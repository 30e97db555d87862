// Runs a fuzz target's body over its seed corpus and a fixed number of deterministic mutations
// of it (byte flips, insertions, deletions, splices). Not a fuzzer: a regression net that keeps
// the targets compiling and exercised in every test build, including with g++.
//   <target>_smoke CORPUS_DIR ITERATIONS
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_target.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR ITERATIONS\n";
    return 2;
  }
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    seeds.push_back(bytes.str());
  }
  if (seeds.empty()) seeds.push_back("");
  auto run = [](const std::string& input) {
    omk_fuzz_one(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  };
  for (const std::string& seed : seeds) run(seed);
  std::mt19937_64 rng(12345);
  long iterations = std::stol(argv[2]);
  for (long i = 0; i < iterations; ++i) {
    std::string input = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      size_t at = input.empty() ? 0 : rng() % input.size();
      switch (rng() % 5) {
        case 0:
          if (!input.empty()) input[at] = static_cast<char>(input[at] ^ (1 << (rng() % 8)));
          break;
        case 1:
          input.insert(at, 1, static_cast<char>(rng() % 256));
          break;
        case 2:
          if (!input.empty()) input.erase(at, 1 + rng() % 8);
          break;
        case 3: {
          const std::string& other = seeds[rng() % seeds.size()];
          if (!other.empty()) {
            size_t from = rng() % other.size();
            input.insert(at, other.substr(from, 1 + rng() % 64));
          }
          break;
        }
        default:
          if (!input.empty()) input.insert(at, input.substr(at, 1 + rng() % 32));
          break;
      }
    }
    run(input);
  }
  std::cout << argv[0] << ": " << seeds.size() << " seeds, " << iterations << " mutations, ok\n";
  return 0;
}
