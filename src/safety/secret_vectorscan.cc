#include "safety/secret_vectorscan.h"

#include <fmt/format.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/atomic_file.h"
#include "core/error.h"

namespace omk::safety {
VectorscanDatabase::VectorscanDatabase(hs_database_t* database) : database_(database) {
  if (hs_alloc_scratch(database_, &prototype_) != HS_SUCCESS) {
    hs_free_database(database_);
    throw std::runtime_error("vectorscan could not allocate scratch space");
  }
}

VectorscanDatabase::~VectorscanDatabase() {
  for (hs_scratch_t* scratch : free_) hs_free_scratch(scratch);
  hs_free_scratch(prototype_);
  hs_free_database(database_);
}

hs_scratch_t* VectorscanDatabase::acquire() const {
  {
    std::lock_guard lock(mutex_);
    if (!free_.empty()) {
      hs_scratch_t* scratch = free_.back();
      free_.pop_back();
      return scratch;
    }
  }
  hs_scratch_t* scratch = nullptr;
  if (hs_clone_scratch(prototype_, &scratch) != HS_SUCCESS) {
    throw std::runtime_error("vectorscan could not allocate scratch space");
  }
  return scratch;
}

void VectorscanDatabase::release(hs_scratch_t* scratch) const {
  std::lock_guard lock(mutex_);
  free_.push_back(scratch);
}

void VectorscanDatabase::scan(std::string_view data, match_event_handler handler,
                              void* context) const {
  if (data.size() > kMaxBlock) throw std::logic_error("vectorscan block too large");
  hs_scratch_t* scratch = acquire();
  struct Release {
    const VectorscanDatabase* owner;
    hs_scratch_t* scratch;
    ~Release() { owner->release(scratch); }
  } release{this, scratch};
  hs_error_t rc = hs_scan(database_, data.data(), static_cast<unsigned>(data.size()), 0, scratch,
                          handler, context);
  if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) {
    throw std::runtime_error("vectorscan scan failed with code " + std::to_string(rc));
  }
}

std::unique_ptr<VectorscanDatabase> compile_vectorscan(
    const std::vector<VectorscanPattern>& patterns, int* failed_index, std::string* error) {
  *failed_index = -1;
  std::vector<const char*> expressions;
  std::vector<size_t> lengths;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  bool literal = !patterns.empty() && patterns.front().literal;
  for (const VectorscanPattern& pattern : patterns) {
    expressions.push_back(pattern.expression.c_str());
    lengths.push_back(pattern.expression.size());
    flags.push_back(pattern.flags);
    ids.push_back(pattern.id);
  }
  hs_database_t* database = nullptr;
  hs_compile_error_t* compile_error = nullptr;
  hs_error_t rc;
  if (literal) {
    rc = hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                              static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr,
                              &database, &compile_error);
  } else {
    rc = hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                          static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &database,
                          &compile_error);
  }
  if (rc != HS_SUCCESS) {
    if (compile_error != nullptr) {
      *failed_index = compile_error->expression;
      *error = compile_error->message;
      hs_free_compile_error(compile_error);
    } else {
      *error = "vectorscan compile failed with code " + std::to_string(rc);
    }
    return nullptr;
  }
  return std::make_unique<VectorscanDatabase>(database);
}

uint64_t fnv1a(uint64_t hash, std::string_view text) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::filesystem::path omk_cache_directory() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
    return std::filesystem::path(xdg) / "omk";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    return std::filesystem::path(home) / ".cache" / "omk";
  }
  return {};
}

std::optional<std::string> read_cache_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream bytes;
  bytes << in.rdbuf();
  if (!in.good() && !in.eof()) return std::nullopt;
  std::error_code ec;
  std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now(), ec);
  return bytes.str();
}

namespace {

std::string cache_key(const std::vector<VectorscanPattern>& patterns) {
  uint64_t hash = fnv1a(kFnvOffset, hs_version());
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    hash = fnv1a(hash, fmt::format("|{}|{}|", platform.tune, platform.cpu_features));
  }
  for (const VectorscanPattern& pattern : patterns) {
    hash = fnv1a(hash, fmt::format("{}|{}|{}|{}|", pattern.expression.size(), pattern.flags,
                                   pattern.id, pattern.literal));
    hash = fnv1a(hash, pattern.expression);
  }
  return fmt::format("{:016x}", hash);
}

}  // namespace

std::unique_ptr<VectorscanDatabase> compile_vectorscan_cached(
    const std::vector<VectorscanPattern>& patterns, int* failed_index, std::string* error) {
  std::filesystem::path dir = omk_cache_directory();
  std::filesystem::path file;
  if (!dir.empty()) {
    file = dir / ("vectorscan-" + cache_key(patterns) + ".db");
    if (auto data = read_cache_file(file)) {
      hs_database_t* database = nullptr;
      if (hs_deserialize_database(data->data(), data->size(), &database) == HS_SUCCESS) {
        *failed_index = -1;
        return std::make_unique<VectorscanDatabase>(database);
      }
    }
  }
  auto compiled = compile_vectorscan(patterns, failed_index, error);
  if (compiled && !file.empty()) compiled->save(file);
  return compiled;
}

namespace {

// Databases of rule sets no longer used (an older omk, a rule file edited since) go after a
// month without use; a cache hit refreshes a file's time.
void remove_stale(const std::filesystem::path& dir) {
  std::error_code ec;
  auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("vectorscan-", 0) != 0) continue;
    std::error_code time_ec;
    auto written = entry.last_write_time(time_ec);
    if (!time_ec && now - written > std::chrono::hours(24 * 30)) {
      std::filesystem::remove(entry.path(), time_ec);
    }
  }
}

}  // namespace

void write_cache_file(const std::filesystem::path& file, const std::string& data) {
  try {
    std::filesystem::create_directories(file.parent_path());
    write_file_atomic(file, data, 0600);
    remove_stale(file.parent_path());
  } catch (const std::exception&) {
    // A cache that cannot be written costs only the next compile.
  }
}

void VectorscanDatabase::save(const std::filesystem::path& file) const {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(database_, &bytes, &length) != HS_SUCCESS) return;
  std::string data(bytes, length);
  free(bytes);
  write_cache_file(file, data);
}

VectorscanExpressionInfo vectorscan_expression_info(const std::string& expression, unsigned flags) {
  VectorscanExpressionInfo result;
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(expression.c_str(), flags, &info, &error) != HS_SUCCESS) {
    result.error = error != nullptr ? error->message : "not accepted";
    if (error != nullptr) hs_free_compile_error(error);
    return result;
  }
  result.ok = true;
  result.min_width = info->min_width;
  result.max_width = info->max_width;
  free(info);  // vectorscan allocates with the default allocator (hs_set_misc_allocator unset)
  return result;
}

}  // namespace omk::safety
