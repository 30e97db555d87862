// Decision latency of the command guard, in-process, over the deny and allow corpora. Each
// benchmark decides every command of a corpus per iteration and reports the per-command latency
// distribution (p50, p99, max) as counters next to Google Benchmark's own timing.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "safety/guard.h"

namespace {

std::vector<std::string> load(const std::string& name) {
  std::ifstream in(std::string(OMK_SOURCE_DIR) + "/tests/corpus/guard/" + name);
  std::vector<std::string> commands;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    for (size_t at; (at = line.find("<NL>")) != std::string::npos;) line.replace(at, 4, "\n");
    commands.push_back(line);
  }
  return commands;
}

omk::guard::Guard make_guard() {
  omk::guard::GuardContext context;
  context.workspace = "/work/project";
  context.cwd = "/work/project";
  context.home = "/home/dev";
  context.current_branch = "feature/guard";
  return omk::guard::Guard(context);
}

void decide_corpus(benchmark::State& state, const std::string& corpus) {
  const auto commands = load(corpus);
  const auto guard = make_guard();
  std::vector<double> micros;
  micros.reserve(commands.size() * 64);
  for (auto _ : state) {
    for (const auto& command : commands) {
      auto start = std::chrono::steady_clock::now();
      auto verdict = guard.check_command(command);
      auto end = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(verdict);
      micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double quantile) {
    return micros[std::min(micros.size() - 1, static_cast<size_t>(quantile * micros.size()))];
  };
  state.SetItemsProcessed(static_cast<int64_t>(micros.size()));
  state.counters["commands"] = static_cast<double>(commands.size());
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  state.counters["max_us"] = micros.back();
}

void BM_GuardDenyCorpus(benchmark::State& state) {
  decide_corpus(state, "deny.txt");
}
void BM_GuardAllowCorpus(benchmark::State& state) {
  decide_corpus(state, "allow.txt");
}

BENCHMARK(BM_GuardDenyCorpus)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GuardAllowCorpus)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
