#pragma once

#include <hs/hs.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omk::safety {

// One compiled vectorscan block-mode database plus a pool of scratch spaces, so that any number
// of threads can scan with it at once (a scratch is single-threaded; the database is not).
class VectorscanDatabase {
 public:
  // Takes ownership of `database`.
  explicit VectorscanDatabase(hs_database_t* database);
  ~VectorscanDatabase();
  VectorscanDatabase(const VectorscanDatabase&) = delete;
  VectorscanDatabase& operator=(const VectorscanDatabase&) = delete;

  // vectorscan's block mode takes an unsigned length; callers split larger texts.
  static constexpr size_t kMaxBlock = size_t{1} << 30;

  // Scans one block of at most kMaxBlock bytes; `handler` gets offsets relative to `data`.
  void scan(std::string_view data, match_event_handler handler, void* context) const;

  // Writes the serialized database to `file` (best effort; failures are ignored).
  void save(const std::filesystem::path& file) const;

 private:
  hs_scratch_t* acquire() const;
  void release(hs_scratch_t* scratch) const;

  hs_database_t* database_;
  hs_scratch_t* prototype_ = nullptr;
  mutable std::mutex mutex_;
  mutable std::vector<hs_scratch_t*> free_;
};

// A pattern to compile. `flags` are HS_FLAG_* values.
struct VectorscanPattern {
  std::string expression;
  unsigned flags = 0;
  unsigned id = 0;
  bool literal = false;  // match `expression` byte for byte (hs_compile_lit_multi)
};

// Compiles patterns of one kind (all literal or all regex) into a block-mode database. Throws
// std::runtime_error with vectorscan's message and the index of the pattern that failed
// (`failed_index`, -1 when the failure is not about one pattern).
std::unique_ptr<VectorscanDatabase> compile_vectorscan(
    const std::vector<VectorscanPattern>& patterns, int* failed_index, std::string* error);

// Like compile_vectorscan, but first looks for the same database compiled earlier in omk's cache
// directory ($XDG_CACHE_HOME/omk, else ~/.cache/omk), and stores it there after compiling:
// compiling the built-in rules takes about 0.3 s, loading them about 1 ms. The file name is a
// hash of vectorscan's version, this CPU's features and every pattern, so a change to any of
// them compiles afresh. Any cache problem (no HOME, read-only disk, a damaged file) just means
// compiling.
std::unique_ptr<VectorscanDatabase> compile_vectorscan_cached(
    const std::vector<VectorscanPattern>& patterns, int* failed_index, std::string* error);

// omk's cache directory ($XDG_CACHE_HOME/omk, else ~/.cache/omk); empty when neither is set.
std::filesystem::path omk_cache_directory();
// A cache file's bytes (refreshing its time, so it is not dropped as stale), or nothing.
std::optional<std::string> read_cache_file(const std::filesystem::path& file);
// Writes a cache file (0600, atomically) and drops entries unused for a month; best effort.
void write_cache_file(const std::filesystem::path& file, const std::string& data);
// 64-bit FNV-1a of `text`, continued from `hash`: cache file names.
constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
uint64_t fnv1a(uint64_t hash, std::string_view text);

// Whether vectorscan accepts `expression` with `flags` on its own, and its width limits.
struct VectorscanExpressionInfo {
  bool ok = false;
  std::string error;
  unsigned min_width = 0;
  unsigned max_width = 0;  // UINT_MAX when unbounded
};
VectorscanExpressionInfo vectorscan_expression_info(const std::string& expression, unsigned flags);

}  // namespace omk::safety
