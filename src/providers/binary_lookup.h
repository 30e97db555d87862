#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/environment.h"

namespace omk::providers {

// A CLI's executable as found, without running it.
struct FoundBinary {
  std::filesystem::path path;      // as found on PATH (what omk executes)
  std::filesystem::path resolved;  // symlinks resolved (an npm bin links into its package)
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  // For a "#!/usr/bin/env node" script: the interpreter found on PATH, which decides what
  // --version prints as much as the script does.
  std::optional<std::filesystem::path> interpreter;
  uint64_t interpreter_size = 0;
  int64_t interpreter_mtime_ns = 0;

  // Identifies this exact binary (and interpreter) for the probe cache.
  std::string cache_key() const;
};

// `name` is a bare name (looked up on PATH like execvp) or a path. nullopt when nothing
// executable is there.
std::optional<FoundBinary> find_binary(const std::string& name, const EnvMap& env);

// Directories a sandboxed child needs to read to run this binary: the package it lives in
// (everything under the topmost node_modules of its resolved path, or its own directory) and
// the interpreter's installation, when those are outside the system directories.
std::vector<std::filesystem::path> runtime_roots(const FoundBinary& binary);

}  // namespace omk::providers
