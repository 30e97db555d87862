#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "core/environment.h"
#include "core/json_output.h"
#include "providers/adapter.h"
#include "providers/binary_lookup.h"

namespace omk::providers {

// What `--version` (and `--help`) said about each binary, kept across runs so a warm
// `omk doctor` starts no process: most agent CLIs are Node.js programs that take 100+ ms to
// print a version. Keyed by the binary's resolved path, size and mtime (and its interpreter's),
// so an upgrade is probed again. Lives in $XDG_CACHE_HOME/omk (else ~/.cache/omk); losing it
// only costs a probe.
class ProbeCache {
 public:
  static std::filesystem::path default_path(const EnvMap& omk_env);
  // A missing or unreadable file is an empty cache.
  explicit ProbeCache(const std::filesystem::path& path);
  static ProbeCache load(const std::filesystem::path& path) { return ProbeCache(path); }

  std::optional<VersionInfo> find(const std::string& adapter, const FoundBinary& binary) const;
  void store(const std::string& adapter, const FoundBinary& binary, const VersionInfo& info);
  // Writes the file when something changed; a failure to write is not an error (a warning at
  // debug level): the cache is an optimisation.
  void save() const;

 private:
  std::filesystem::path path_;
  Json entries_ = Json::object();
  bool dirty_ = false;
  mutable std::mutex mutex_;
};

}  // namespace omk::providers
