// In-process cost of one sandboxed spawn (a fresh Sandbox: private HOME/TMPDIR, Landlock
// ruleset, cached seccomp program, namespaces, the child's own root) next to a bare spawn
// through the same runner. Run by bench/sandbox_spawn/run.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>

#include "process/runner.h"
#include "sandbox/kernel_support.h"
#include "sandbox/sandboxed_run.h"

namespace {
namespace fs = std::filesystem;

fs::path workspace() {
  static fs::path path = [] {
    std::string pattern = fs::temp_directory_path() / "omk-bench-ws-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    fs::path dir = ::mkdtemp(buffer.data());
    // An `omk init`ed git project whose agents have been set up: nothing to create per spawn.
    for (const char* sub : {".git/hooks", ".git/info", ".omk", ".kimi", ".codex", ".claude"}) {
      fs::create_directories(dir / sub);
    }
    return dir;
  }();
  return path;
}

omk::process::RunOptions true_options() {
  omk::process::RunOptions options;
  options.spawn.argv = {"/bin/true"};
  options.spawn.env = {{"PATH", "/usr/bin:/bin"}};
  options.spawn.cwd = workspace();
  return options;
}

void BM_SpawnUnsandboxed(benchmark::State& state) {
  for (auto _ : state) {
    auto result = omk::process::run(true_options());
    benchmark::DoNotOptimize(result.exit_code);
  }
}
BENCHMARK(BM_SpawnUnsandboxed)->Unit(benchmark::kMicrosecond);

void BM_SpawnSandboxed(benchmark::State& state) {
  for (auto _ : state) {
    omk::sandbox::SandboxRequest request;
    request.workspace = workspace();
    auto box = omk::sandbox::Sandbox::prepare(request);
    auto options = true_options();
    box->apply_to_environment(options.spawn.env);
    auto result = omk::sandbox::run_sandboxed(*box, options);
    if (result.exit_code != 0) state.SkipWithError("the sandboxed child failed");
  }
}
BENCHMARK(BM_SpawnSandboxed)->Unit(benchmark::kMicrosecond);

// The same with Landlock and seccomp only (what a kernel without user namespaces gets): the
// difference is the cost of the namespaces and the child's own root.
void BM_SpawnSandboxedWithoutNamespaces(benchmark::State& state) {
  omk::sandbox::mark_unavailable(omk::sandbox::Unavailable::kNamespaces, "benchmark");
  for (auto _ : state) {
    omk::sandbox::SandboxRequest request;
    request.workspace = workspace();
    auto box = omk::sandbox::Sandbox::prepare(request);
    auto options = true_options();
    box->apply_to_environment(options.spawn.env);
    auto result = omk::sandbox::run_sandboxed(*box, options);
    if (result.exit_code != 0) state.SkipWithError("the sandboxed child failed");
  }
  omk::sandbox::reset_kernel_support();
}
BENCHMARK(BM_SpawnSandboxedWithoutNamespaces)->Unit(benchmark::kMicrosecond);

void BM_PrepareOnly(benchmark::State& state) {
  for (auto _ : state) {
    omk::sandbox::SandboxRequest request;
    request.workspace = workspace();
    auto box = omk::sandbox::Sandbox::prepare(request);
    benchmark::DoNotOptimize(box.get());
  }
}
BENCHMARK(BM_PrepareOnly)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
