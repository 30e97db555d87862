#include "providers/probe_cache.h"

#include "core/atomic_file.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/log.h"

namespace omk::providers {
namespace fs = std::filesystem;

fs::path ProbeCache::default_path(const EnvMap& omk_env) {
  auto cache = env_value(omk_env, "XDG_CACHE_HOME");
  fs::path base;
  if (cache && !cache->empty() && fs::path(*cache).is_absolute()) {
    base = *cache;
  } else if (auto home = env_value(omk_env, "HOME"); home && !home->empty()) {
    base = fs::path(*home) / ".cache";
  } else {
    return {};
  }
  return base / "omk" / "provider-probes.json";
}

ProbeCache::ProbeCache(const fs::path& path) : path_(path) {
  if (path.empty()) return;
  try {
    auto text = read_file_if_exists(path);
    if (!text) return;
    Json document = Json::parse(*text, nullptr, false);
    if (document.is_object() && document.value("schema", "") == "omk.provider-probes.v1" &&
        document.contains("entries") && document["entries"].is_object()) {
      entries_ = document["entries"];
    }
  } catch (const UserError&) {
  }
}

std::optional<VersionInfo> ProbeCache::find(const std::string& adapter,
                                            const FoundBinary& binary) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(adapter);
  if (it == entries_.end() || !it->is_object()) return std::nullopt;
  if (it->value("key", "") != binary.cache_key()) return std::nullopt;
  VersionInfo info;
  info.ok = it->value("ok", false);
  info.version = it->value("version", "");
  info.dialect = it->value("dialect", "");
  info.problem = it->value("problem", "");
  return info;
}

void ProbeCache::store(const std::string& adapter, const FoundBinary& binary,
                       const VersionInfo& info) {
  std::lock_guard lock(mutex_);
  Json entry = Json::object();
  entry["key"] = binary.cache_key();
  entry["ok"] = info.ok;
  entry["version"] = info.version;
  entry["dialect"] = info.dialect;
  entry["problem"] = info.problem;
  entry["probed_at"] = utc_timestamp();
  entries_[adapter] = entry;
  dirty_ = true;
}

void ProbeCache::save() const {
  std::lock_guard lock(mutex_);
  if (!dirty_ || path_.empty()) return;
  Json document = Json::object();
  document["schema"] = "omk.provider-probes.v1";
  document["entries"] = entries_;
  try {
    std::error_code ec;
    fs::create_directories(path_.parent_path(), ec);
    write_file_atomic(path_, document.dump(2) + "\n", 0600);
  } catch (const UserError& error) {
    log::debug("provider probe cache not written: {}", error.what());
  }
}

}  // namespace omk::providers
