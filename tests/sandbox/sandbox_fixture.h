#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "process/runner.h"
#include "sandbox/sandbox.h"
#include "test_support.h"

namespace omk::sandbox::test_fixture {

bool has(const std::string& text, const std::string& needle);
mode_t mode_of(const std::filesystem::path& path);

// Forgets layers a test marked unavailable, whatever happens in the test.
struct KernelSupportReset {
  ~KernelSupportReset();
};

// Skips the test (it is a feature of this kernel, not a failure) when a layer is missing.
bool layers_missing();
#define OMK_REQUIRE_SANDBOX_LAYERS()                                               \
  do {                                                                             \
    if (::omk::sandbox::test_fixture::layers_missing()) {                          \
      GTEST_SKIP() << "this kernel lacks a sandbox layer (see omk sandbox probe)"; \
    }                                                                              \
  } while (0)

// A workspace with a file, and a real HOME with a key in it.
struct Fixture {
  omk::test::TempDir tmp;
  std::filesystem::path workspace = tmp.path() / "ws";
  std::filesystem::path home = tmp.path() / "home";
  Fixture();
  SandboxRequest request(Profile profile) const;
};

process::RunResult run_script(Sandbox& sandbox, const std::string& script,
                              const std::filesystem::path& cwd);

// A script printing "<name>=ok" or "<name>=refused" for each shell command.
std::string attempts(const std::vector<std::pair<std::string, std::string>>& commands);

}  // namespace omk::sandbox::test_fixture
