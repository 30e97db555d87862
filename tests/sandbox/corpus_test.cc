// The escape and benign corpora (tests/corpus/sandbox/) through `omk sandbox run`, the way a lane
// runs: each escape case must be blocked (and its full-access control must get through); each
// benign case must succeed.
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "corpus_fixture.h"
#include "sandbox/kernel_support.h"
#include "sandbox/probe.h"

namespace omk::sandbox {
namespace {
namespace fs = std::filesystem;

std::vector<fs::path> corpus(const std::string& kind) {
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(fs::path(OMK_TEST_SOURCE_DIR) / "tests" /
                                                  "corpus" / "sandbox" / kind)) {
    cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string header_value(const fs::path& file, const std::string& key) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    auto at = line.find(key + ":");
    if (at != std::string::npos && at <= 3) {
      std::string value = line.substr(at + key.size() + 1);
      value.erase(0, value.find_first_not_of(' '));
      return value.substr(0, value.find(' '));
    }
  }
  return "";
}

// Where the fixture lives: under /tmp, or somewhere only Landlock guards.
enum class Placement { kUnderTmp, kElsewhere };

fs::path base_for(Placement placement) {
  return placement == Placement::kUnderTmp ? fs::path("/tmp")
                                           : fs::path(OMK_TEST_BUILD_DIR) / "test-scratch";
}

using CaseParam = std::tuple<fs::path, Placement>;

std::string case_name(const testing::TestParamInfo<CaseParam>& info) {
  std::string name =
      std::get<0>(info.param).stem().string() +
      (std::get<1>(info.param) == Placement::kUnderTmp ? "_under_tmp" : "_elsewhere");
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

// A real trial: sysctls can say yes where a container's seccomp profile says no.
bool full_sandbox_here() {
  static const bool complete =
      probe_sandbox("").profiles.at(Profile::kWorkspaceWrite).missing().empty();
  return complete;
}

#define REQUIRE_FULL_SANDBOX()                                                      \
  do {                                                                              \
    if (!full_sandbox_here()) {                                                     \
      GTEST_SKIP() << "this machine lacks a sandbox layer (see omk sandbox probe)"; \
    }                                                                               \
  } while (0)

test::CommandResult run_case(const test_fixture::CorpusFixture& fixture,
                             const std::vector<std::string>& command, const std::string& profile) {
  std::vector<std::string> args = {"sandbox", "run", "--profile", profile, "--timeout", "60", "--"};
  args.insert(args.end(), command.begin(), command.end());
  return test::run_omk(args, fixture.case_dir(), fixture.omk_env());
}

class Escape : public testing::TestWithParam<CaseParam> {};

TEST_P(Escape, IsBlockedInWorkspaceWrite) {
  REQUIRE_FULL_SANDBOX();
  test_fixture::CorpusFixture fixture(base_for(std::get<1>(GetParam())));
  auto command = fixture.install_case(std::get<0>(GetParam()));
  auto result = run_case(fixture, command, "workspace-write");
  std::string output = result.out + result.err;
  if (std::getenv("OMK_TEST_VERBOSE")) std::cerr << output;
  EXPECT_NE(result.out.find("BLOCKED"), std::string::npos) << output;
  EXPECT_EQ(result.out.find("ESCAPED"), std::string::npos) << output;
  EXPECT_EQ(output.find(fixture.secret()), std::string::npos) << output;
  EXPECT_EQ(fixture.host_damage(), "");
}

bool can_open_packet_socket() {
  int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

// The cases whose header says the attempt gets through without the sandbox (here).
std::vector<fs::path> with_control(const std::vector<fs::path>& cases) {
  std::vector<fs::path> result;
  for (const auto& path : cases) {
    std::string control = header_value(path, "control");
    if (control == "escapes" ||
        (control == "escapes-with-cap-net-raw" && can_open_packet_socket())) {
      result.push_back(path);
    }
  }
  return result;
}

class Control : public testing::TestWithParam<CaseParam> {};

TEST_P(Control, EscapeGetsThroughWithoutTheSandbox) {
  test_fixture::CorpusFixture fixture(base_for(std::get<1>(GetParam())));
  auto command = fixture.install_case(std::get<0>(GetParam()));
  auto result = run_case(fixture, command, "full-access");
  EXPECT_NE(result.out.find("ESCAPED"), std::string::npos) << result.out << result.err;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Escape,
                         testing::Combine(testing::ValuesIn(corpus("escape")),
                                          testing::Values(Placement::kUnderTmp,
                                                          Placement::kElsewhere)),
                         case_name);

INSTANTIATE_TEST_SUITE_P(Corpus, Control,
                         testing::Combine(testing::ValuesIn(with_control(corpus("escape"))),
                                          testing::Values(Placement::kUnderTmp,
                                                          Placement::kElsewhere)),
                         case_name);

class Benign : public testing::TestWithParam<CaseParam> {};

TEST_P(Benign, SucceedsInWorkspaceWrite) {
  REQUIRE_FULL_SANDBOX();
  test_fixture::CorpusFixture fixture(base_for(std::get<1>(GetParam())));
  auto command = fixture.install_case(std::get<0>(GetParam()));
  auto result = run_case(fixture, command, "workspace-write");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(fixture.host_damage(), "");
}

INSTANTIATE_TEST_SUITE_P(Corpus, Benign,
                         testing::Combine(testing::ValuesIn(corpus("benign")),
                                          testing::Values(Placement::kUnderTmp,
                                                          Placement::kElsewhere)),
                         case_name);

}  // namespace
}  // namespace omk::sandbox
