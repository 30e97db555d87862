#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.h"
#include "safety/secret_detect.h"
#include "safety/secret_ignore.h"
#include "safety/secret_scanner.h"
#include "test_support.h"

namespace omk::safety {
namespace fs = std::filesystem;
namespace {

const std::string kToken = "ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5";

ScanResult scan(const fs::path& root, ScanOptions options = {}) {
  if (options.paths.empty()) options.paths = {root};
  options.display_root = root;
  return scan_paths(builtin_matcher(), options);
}

TEST(SecretScanner, FindsSecretsWithLocationsAndRedactedExcerpts) {
  test::TempDir tmp;
  test::write_text(tmp.path() / "src/app.py", "import os\n\n    token = \"" + kToken + "\"  # é\n");
  ScanResult result = scan(tmp.path());
  ASSERT_EQ(result.findings.size(), 1u);
  const SecretFinding& f = result.findings[0];
  EXPECT_EQ(f.path, "src/app.py");
  EXPECT_EQ(f.line, 3u);
  EXPECT_EQ(f.column, 14u);
  EXPECT_EQ(f.end_column, 14u + kToken.size());
  EXPECT_EQ(f.rule, "github-pat-classic");
  EXPECT_EQ(f.fingerprint, "src/app.py:github-pat-classic:3");
  EXPECT_EQ(f.excerpt, "token = \"[REDACTED:github-pat-classic]\"  # é");
  EXPECT_EQ(result.stats.files_scanned, 1u);
}

TEST(SecretScanner, SkipsAndCountsBinaryOversizeGitAndSymlinks) {
  test::TempDir tmp;
  test::write_text(tmp.path() / "bin.dat", std::string("\0\1\2", 3) + kToken);
  test::write_text(tmp.path() / "big.txt", std::string(3 << 20, 'a') + kToken);
  test::write_text(tmp.path() / ".git/config", "url = https://x:" + kToken + "@github.com/a/b\n");
  test::write_text(tmp.path() / "ok.txt", "nothing\n");
  fs::create_symlink(tmp.path() / "ok.txt", tmp.path() / "link.txt");
  ScanOptions options;
  options.max_file_bytes = 1 << 20;
  ScanResult result = scan(tmp.path(), options);
  EXPECT_TRUE(result.findings.empty());
  EXPECT_EQ(result.stats.skipped_binary, 1u);
  EXPECT_EQ(result.stats.skipped_oversize, 1u);
  EXPECT_EQ(result.stats.skipped_git, 1u);
  EXPECT_EQ(result.stats.skipped_symlink, 1u);
  EXPECT_EQ(result.stats.files_scanned, 1u);
  EXPECT_EQ(result.stats.skipped_total(), 4u);
}

TEST(SecretScanner, InlineAllowAndFingerprints) {
  test::TempDir tmp;
  test::write_text(tmp.path() / "a.txt", kToken + " # omk:allow\n" + kToken +
                                             " // gitleaks:allow\n" + kToken + "\n" + "x " +
                                             kToken + "\n");
  ScanOptions options;
  options.ignored_fingerprints = {"a.txt:github-pat-classic:3"};
  ScanResult result = scan(tmp.path(), options);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].line, 4u);
  EXPECT_EQ(result.stats.suppressed_inline, 2u);
  EXPECT_EQ(result.stats.suppressed_ignored, 1u);
}

TEST(SecretScanner, OmkignoreAndBaselineFiles) {
  test::TempDir tmp;
  test::write_text(tmp.path() / ".omkignore", "# known\n\n  a.txt:github-pat-classic:1  \n");
  EXPECT_EQ(load_omkignore(tmp.path() / ".omkignore"),
            std::set<std::string>{"a.txt:github-pat-classic:1"});
  EXPECT_TRUE(load_omkignore(tmp.path() / "missing").empty());
  test::write_text(tmp.path() / "omk.json",
                   R"({"schema":"omk.secrets-scan.v1","findings":[{"fingerprint":"p:r:1"}]})");
  EXPECT_EQ(load_baseline(tmp.path() / "omk.json"), std::set<std::string>{"p:r:1"});
  test::write_text(
      tmp.path() / "sarif.json",
      R"({"version":"2.1.0","runs":[{"results":[{"partialFingerprints":{"omk/v1":"p:r:2"}}]}]})");
  EXPECT_EQ(load_baseline(tmp.path() / "sarif.json"), std::set<std::string>{"p:r:2"});
  test::write_text(tmp.path() / "gitleaks.json", R"([{"Fingerprint":"p:r:3","RuleID":"r"}])");
  EXPECT_EQ(load_baseline(tmp.path() / "gitleaks.json"), std::set<std::string>{"p:r:3"});
  test::write_text(tmp.path() / "bad.json", "{not json");
  EXPECT_THROW(load_baseline(tmp.path() / "bad.json"), UserError);
  EXPECT_THROW(load_baseline(tmp.path() / "absent.json"), UserError);
}

TEST(SecretScanner, ManyFilesInParallelMatchOneWorker) {
  test::TempDir tmp;
  for (int i = 0; i < 60; ++i) {
    std::string body;
    for (int line = 0; line < 2000; ++line) body += "ordinary line " + std::to_string(line) + "\n";
    if (i % 3 == 0) body += "secret " + kToken + "\n";
    test::write_text(
        tmp.path() / ("d" + std::to_string(i % 4)) / ("f" + std::to_string(i) + ".txt"), body);
  }
  ScanOptions one;
  one.jobs = 1;
  ScanOptions two;
  two.jobs = 2;
  ScanResult a = scan(tmp.path(), one);
  ScanResult b = scan(tmp.path(), two);
  ASSERT_EQ(a.findings.size(), 20u);
  ASSERT_EQ(b.findings.size(), 20u);
  for (size_t i = 0; i < a.findings.size(); ++i) EXPECT_EQ(a.findings[i].path, b.findings[i].path);
  EXPECT_EQ(a.stats.bytes_scanned, b.stats.bytes_scanned);
  EXPECT_TRUE(std::is_sorted(
      a.findings.begin(), a.findings.end(),
      [](const SecretFinding& x, const SecretFinding& y) { return x.path < y.path; }));
}

TEST(SecretScanner, MissingPathIsAUsageError) {
  test::TempDir tmp;
  ScanOptions options;
  options.paths = {tmp.path() / "nope"};
  EXPECT_THROW(scan(tmp.path(), options), UserError);
}

TEST(SecretScanner, UnreadableFileIsCounted) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every file; covered by the FIFO case";
  test::TempDir tmp;
  test::write_text(tmp.path() / "locked.txt", kToken);
  ::chmod((tmp.path() / "locked.txt").c_str(), 0);
  ScanResult result = scan(tmp.path());
  EXPECT_EQ(result.stats.skipped_unreadable, 1u);
  ::chmod((tmp.path() / "locked.txt").c_str(), 0644);
}

TEST(SecretScanner, SpecialFilesAreNotRead) {
  test::TempDir tmp;
  ASSERT_EQ(::mkfifo((tmp.path() / "pipe").c_str(), 0600), 0);
  ScanResult result = scan(tmp.path());
  EXPECT_EQ(result.stats.skipped_unreadable, 1u);
  EXPECT_EQ(result.stats.files_scanned, 0u);
}

TEST(SecretScanner, InvalidUtf8InExcerptsBecomesQuestionMarks) {
  EXPECT_EQ(to_valid_utf8("a\xff"
                          "b\xc3\xa9"),
            "a?bé");
  EXPECT_EQ(to_valid_utf8("\x1b[31m"), "?[31m");
}

}  // namespace
}  // namespace omk::safety
