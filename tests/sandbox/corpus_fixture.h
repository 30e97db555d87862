#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "test_support.h"

namespace omk::sandbox::test_fixture {

// A workspace with everything the corpus cases try to reach (tests/corpus/sandbox/README.md),
// and the host-side checks that nothing of it changed.
class CorpusFixture {
 public:
  // Everything is made under `base`: under /tmp (the child's private /tmp has to carry the
  // workspace in) or elsewhere (only Landlock stands between the child and the rest).
  explicit CorpusFixture(const std::filesystem::path& base);
  ~CorpusFixture();

  const std::filesystem::path& workspace() const { return workspace_; }
  const std::filesystem::path& case_dir() const { return case_dir_; }
  // Copies (or compiles) a corpus case into case/ and returns the command that runs it there.
  std::vector<std::string> install_case(const std::filesystem::path& source);
  // omk's environment: a real HOME with a key in it and secrets omk must not pass on.
  std::map<std::string, std::string> omk_env() const;
  // Host-side problems after an escape attempt (empty: nothing escaped).
  std::string host_damage() const;
  const std::string& secret() const { return secret_; }

 private:
  std::filesystem::path root_;
  std::filesystem::path workspace_;
  std::filesystem::path case_dir_;
  std::filesystem::path home_;
  std::filesystem::path outside_;
  std::filesystem::path shared_secret_;
  std::string secret_;
  std::map<std::filesystem::path, std::string> protected_before_;
  int tcp_ = -1;
  int unix_ = -1;
  int abstract_ = -1;
};

}  // namespace omk::sandbox::test_fixture
