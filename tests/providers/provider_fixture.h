#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/config.h"
#include "providers/context.h"
#include "test_support.h"

namespace omk::providers::test_fixture {

// A project (a git repository with .omk/config.toml), a real HOME and omk's own environment,
// with PATH holding only `bin/` (fake CLIs go there) and the system directories.
struct Project {
  omk::test::TempDir tmp;
  std::filesystem::path root = tmp.path() / "project";
  std::filesystem::path home = tmp.path() / "home";
  std::filesystem::path bin = tmp.path() / "bin";
  std::filesystem::path cache = tmp.path() / "cache";
  EnvMap env;

  Project();
  // .omk/config.toml's text (replaces it).
  void config(const std::string& toml);
  ProviderContext context() const;
  // An executable shell script in bin/.
  void fake_binary(const std::string& name, const std::string& script);
};

// The pinned agent CLIs of tests/peers: the bin directory and node 22 first on PATH.
// Empty when `scripts/bootstrap --tests` has not installed them.
std::string peers_path();

}  // namespace omk::providers::test_fixture
