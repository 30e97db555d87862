#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <thread>

#include "process/child.h"
#include "process/stream_pump.h"
#include "sandbox/kernel_support.h"
#include "sandbox/probe.h"
#include "test_support.h"

namespace omk {
namespace {
namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// A real trial: sysctls can say yes where a container's seccomp profile says no.
bool sandbox_available() {
  static const bool complete =
      sandbox::probe_sandbox("").profiles.at(sandbox::Profile::kWorkspaceWrite).missing().empty();
  return complete;
}

// /proc files of a process that may exit while we read them: no exceptions, just "".
std::string read_proc(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
    text.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  return text;
}

// A process whose command line starts with `marker` exists (a zombie counts as gone).
bool process_running(const std::string& marker) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string text = read_proc(entry.path() / "cmdline");
    std::replace(text.begin(), text.end(), '\0', ' ');
    if (text.rfind(marker, 0) != 0) continue;  // not omk, whose arguments contain it too
    std::string line = read_proc(entry.path() / "stat");
    auto close = line.rfind(')');
    if (close != std::string::npos && line.size() > close + 2 && line[close + 2] == 'Z') continue;
    if (!line.empty()) return true;
  }
  return false;
}

bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

struct Project {
  test::TempDir tmp;
  fs::path root = tmp.path() / "proj";
  Project() {
    fs::create_directories(root);
    test::git_init(root);
  }
};

TEST(SandboxCommand, ProbeReportsEveryLayerAndMatchesItsSchema) {
  Project p;
  auto json = test::run_omk({"sandbox", "probe", "--json"}, p.root);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(test::schema_errors("omk.sandbox-probe.v1", json.out), "");
  auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["landlock"]["abi"].get<int>() > 0, doc["landlock"]["available"].get<bool>());
  EXPECT_TRUE(doc["profiles"].contains("workspace-write"));
  auto human = test::run_omk({"sandbox", "probe"}, p.root);
  EXPECT_EQ(human.exit_code, 0);
  for (const char* word :
       {"landlock", "seccomp", "namespaces", "read-only", "workspace-write", "full-access"}) {
    EXPECT_TRUE(has(human.out, word)) << word << "\n" << human.out;
  }
}

TEST(SandboxCommand, RunJsonMatchesItsSchemaAndCarriesTheExitCode) {
  Project p;
  auto result = test::run_omk(
      {"sandbox", "run", "--json", "--", "/bin/sh", "-c", "echo out; echo err >&2; exit 3"},
      p.root);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(test::schema_errors("omk.sandbox-run.v1", result.out), "");
  auto doc = nlohmann::json::parse(result.out);
  EXPECT_EQ(doc["result"]["stdout"]["text"], "out\n");
  EXPECT_EQ(doc["result"]["stderr"]["text"], "err\n");
  EXPECT_EQ(doc["result"]["code"], 3);
  EXPECT_EQ(doc["sandbox"]["profile"], "workspace-write");
  EXPECT_EQ(doc["workspace"], p.root.string());
}

TEST(SandboxCommand, RunStreamsOutputAndExitsWithTheCommandsStatus) {
  Project p;
  auto result = test::run_omk(
      {"sandbox", "run", "--", "/bin/sh", "-c", "echo out; echo err >&2; exit 5"}, p.root);
  EXPECT_EQ(result.exit_code, 5);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_TRUE(has(result.err, "err\n"));
}

TEST(SandboxCommand, ChildEnvironmentIsScrubbedWithAPrivateHome) {
  Project p;
  fs::path home = p.tmp.path() / "home";
  fs::create_directories(home);
  auto result = test::run_omk({"sandbox", "run", "--", "/usr/bin/env"}, p.root,
                              {{"HOME", home.string()},
                               {"OMK_TEST_SECRET_TOKEN", "s3cr3t-value"},
                               {"AWS_SECRET_ACCESS_KEY", "aws-value"},
                               {"OMK_ORIGINAL_HOME", home.string()},
                               {"LC_ALL", "C.UTF-8"},
                               {"OMK_PROJECT_ROOT", "\x01"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(has(result.out, "s3cr3t-value"));
  EXPECT_FALSE(has(result.out, "aws-value"));
  EXPECT_FALSE(has(result.out, "OMK_ORIGINAL_HOME"));
  EXPECT_TRUE(has(result.out, "LC_ALL=C.UTF-8"));
  EXPECT_TRUE(has(result.out, "PATH="));
  EXPECT_FALSE(has(result.out, "HOME=" + home.string() + "\n"));
  EXPECT_TRUE(has(result.out, "HOME=")) << result.out;
  EXPECT_TRUE(has(result.out, "TMPDIR=")) << result.out;
}

TEST(SandboxCommand, ChildEnvironmentFollowsTheProjectEnvPolicy) {
  Project p;
  fs::create_directories(p.root / ".omk");
  test::write_text(p.root / ".omk" / "config.toml",
                   "[env]\nallow = [\"MY_*\"]\ngrant_secrets = [\"MY_GRANTED_TOKEN\"]\n");
  auto result = test::run_omk({"sandbox", "run", "--", "/usr/bin/env"}, p.root,
                              {{"MY_EDITOR", "vi"},
                               {"MY_API_KEY", "not-granted-value"},
                               {"MY_GRANTED_TOKEN", "granted-value"},
                               {"GITHUB_TOKEN", "denylisted-value"},
                               {"UNLISTED_VARIABLE", "unlisted-value"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(has(result.out, "MY_EDITOR=vi")) << result.out;
  EXPECT_TRUE(has(result.out, "MY_GRANTED_TOKEN=")) << result.out;
  EXPECT_FALSE(has(result.out, "MY_API_KEY"));
  EXPECT_FALSE(has(result.out, "GITHUB_TOKEN"));
  EXPECT_FALSE(has(result.out, "UNLISTED_VARIABLE"));
}

TEST(SandboxCommand, StdinIsCopiedToTheChild) {
  Project p;
  test::CommandOptions options;
  options.argv = {test::omk_binary(), "sandbox", "run", "--", "/bin/cat"};
  options.cwd = p.root;
  options.stdin_data = "piped prompt\n";
  auto result = test::run_command(options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "piped prompt\n");
}

TEST(SandboxCommand, TimeoutExitsWith124) {
  Project p;
  auto result =
      test::run_omk({"sandbox", "run", "--timeout", "0.3", "--", "/bin/sleep", "30"}, p.root);
  EXPECT_EQ(result.exit_code, 124);
  EXPECT_TRUE(has(result.err, "timed out")) << result.err;
}

TEST(SandboxCommand, BadInvocationsAreUsageErrors) {
  Project p;
  EXPECT_EQ(test::run_omk({"sandbox", "run"}, p.root).exit_code, 2);
  auto profile = test::run_omk({"sandbox", "run", "--profile", "everything", "--", "true"}, p.root);
  EXPECT_EQ(profile.exit_code, 2);
  EXPECT_TRUE(has(profile.err, "everything"));
  auto dir = test::run_omk({"sandbox", "run", "-C", (p.tmp.path() / "nope").string(), "--", "true"},
                           p.root);
  EXPECT_EQ(dir.exit_code, 2);
}

TEST(SandboxCommand, MissingProgramExits127) {
  Project p;
  auto result = test::run_omk({"sandbox", "run", "--", "omk-no-such-program"}, p.root);
  EXPECT_EQ(result.exit_code, 127);
  EXPECT_TRUE(has(result.err, "omk-no-such-program")) << result.err;
}

TEST(SandboxCommand, RequireRefusesARunWithoutTheSandbox) {
  Project p;
  auto flag = test::run_omk(
      {"sandbox", "run", "--require-sandbox", "--profile", "full-access", "--", "true"}, p.root);
  EXPECT_EQ(flag.exit_code, 3);
  EXPECT_TRUE(has(flag.err, "full-access")) << flag.err;
  auto env = test::run_omk({"sandbox", "run", "--profile", "full-access", "--", "true"}, p.root,
                           {{"OMK_SANDBOX_REQUIRE", "1"}});
  EXPECT_EQ(env.exit_code, 3);
  test::write_text(p.root / ".omk" / "config.toml", "[sandbox]\nrequire = true\n");
  auto config = test::run_omk({"sandbox", "run", "--profile", "full-access", "--", "true"}, p.root);
  EXPECT_EQ(config.exit_code, 3);
  if (sandbox_available()) {
    EXPECT_EQ(test::run_omk({"sandbox", "run", "--", "true"}, p.root).exit_code, 0);
  }
}

TEST(SandboxCommand, FullAccessIsAlwaysReported) {
  Project p;
  auto result = test::run_omk({"sandbox", "run", "--profile", "full-access", "--", "true"}, p.root);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(has(result.err, "without a sandbox")) << result.err;
}

TEST(SandboxCommand, ReadOnlyProfileAndDirectoryFlags) {
  if (!sandbox_available()) GTEST_SKIP() << "no full sandbox here";
  Project p;
  fs::path sub = p.root / "sub";
  fs::create_directories(sub);
  auto pwd = test::run_omk({"sandbox", "run", "-C", sub.string(), "--", "/bin/pwd"}, p.root);
  EXPECT_EQ(pwd.out, sub.string() + "\n");
  auto write = test::run_omk(
      {"sandbox", "run", "--profile", "read-only", "--", "/usr/bin/touch", "x"}, p.root);
  EXPECT_NE(write.exit_code, 0);
  EXPECT_FALSE(fs::exists(p.root / "x"));
  fs::path extra = p.tmp.path() / "extra";
  fs::create_directories(extra);
  test::write_text(p.root / ".omk" / "config.toml",
                   "[sandbox]\nwritable_roots = [\"" + extra.string() + "\"]\n");
  auto roots =
      test::run_omk({"sandbox", "run", "--", "/usr/bin/touch", (extra / "y").string()}, p.root);
  EXPECT_EQ(roots.exit_code, 0) << roots.err;
  EXPECT_TRUE(fs::exists(extra / "y"));
}

// omk started in the background with `sleep <marker>` as its command.
// Its private directories go under `scratch` (a test's TempDir): an omk killed by SIGKILL
// cannot remove them itself.
process::Child start_omk(const fs::path& cwd, const std::string& profile, const std::string& marker,
                         const fs::path& scratch) {
  process::SpawnOptions options;
  options.argv = {test::omk_binary(), "sandbox", "run", "--profile", profile, "--",
                  "/bin/sleep",       marker};
  options.cwd = cwd;
  options.stdin_mode = process::Stdio::kNull;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) options.env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  options.env["TMPDIR"] = scratch.string();
  return process::Child::spawn(options);
}

TEST(SandboxCommand, InterruptStopsTheChildGroupAndExits130) {
  Project p;
  for (const std::string profile : {"full-access", "workspace-write"}) {
    if (profile != "full-access" && !sandbox_available()) continue;
    std::string marker = profile == "full-access" ? "4711.25" : "4711.5";
    auto omk = start_omk(p.root, profile, marker, p.tmp.path());
    ASSERT_TRUE(eventually([&] { return process_running("/bin/sleep " + marker); })) << profile;
    ::kill(omk.pid(), SIGINT);  // what Ctrl-C delivers to omk
    EXPECT_EQ(omk.wait().code(), 130) << profile;
    EXPECT_TRUE(eventually([&] { return !process_running("/bin/sleep " + marker); })) << profile;
  }
}

TEST(SandboxCommand, ChildrenDieWithOmk) {
  Project p;
  for (const std::string profile : {"full-access", "workspace-write"}) {
    if (profile != "full-access" && !sandbox_available()) continue;
    std::string marker = profile == "full-access" ? "4712.25" : "4712.5";
    auto omk = start_omk(p.root, profile, marker, p.tmp.path());
    ASSERT_TRUE(eventually([&] { return process_running("/bin/sleep " + marker); })) << profile;
    ::kill(omk.pid(), SIGKILL);  // no cleanup code runs: PR_SET_PDEATHSIG must do it
    omk.wait();
    EXPECT_TRUE(eventually([&] { return !process_running("/bin/sleep " + marker); })) << profile;
  }
}

// A machine where the kernel refuses new namespaces (here: inside bubblewrap with
// --disable-userns): the layer is dropped at spawn time and said out loud, Landlock and seccomp
// still hold, and --require-sandbox refuses.
TEST(SandboxCommand, NamespacesRefusedAtSpawnAreDroppedReportedOrRefused) {
  Project p;
  std::vector<std::string> bwrap = {"/usr/bin/bwrap", "--dev-bind",    "/",    "/",
                                    "--unshare-user", "--uid",         "1000", "--disable-userns",
                                    "--chdir",        p.root.string(), "--"};
  test::CommandOptions probe;
  probe.argv = bwrap;
  probe.argv.push_back("/bin/true");
  if (::access("/usr/bin/bwrap", X_OK) != 0 || test::run_command(probe).exit_code != 0) {
    GTEST_SKIP() << "bubblewrap is not installed or cannot run here";
  }
  if (sandbox::kernel_support().landlock_abi == 0) GTEST_SKIP() << "no Landlock here";
  auto run = [&](std::vector<std::string> args) {
    test::CommandOptions options;
    options.argv = bwrap;
    options.argv.push_back(test::omk_binary());
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    return test::run_command(options);
  };
  auto relaxed = run(
      {"sandbox", "run", "--", "/bin/sh", "-c", "echo ran; touch /etc/omk-test || echo refused"});
  EXPECT_EQ(relaxed.exit_code, 0) << relaxed.err;
  EXPECT_EQ(relaxed.out, "ran\nrefused\n");
  EXPECT_TRUE(has(relaxed.err, "sandbox layer missing: namespaces")) << relaxed.err;
  EXPECT_TRUE(has(relaxed.err, "protected_paths")) << relaxed.err;
  auto strict = run({"sandbox", "run", "--require-sandbox", "--", "/bin/true"});
  EXPECT_EQ(strict.exit_code, 3);
  EXPECT_TRUE(has(strict.err, "namespaces")) << strict.err;
  auto probe_json = run({"sandbox", "probe", "--json"});
  EXPECT_EQ(test::schema_errors("omk.sandbox-probe.v1", probe_json.out), "");
  EXPECT_FALSE(nlohmann::json::parse(probe_json.out)["missing"].empty());
}

TEST(SandboxCommand, VersionReportsTheSandboxFeaturesBuiltIn) {
  Project p;
  auto doc = nlohmann::json::parse(test::run_omk({"version", "--json"}, p.root).out);
  EXPECT_TRUE(doc["features"]["landlock"].get<bool>());
  EXPECT_TRUE(doc["features"]["seccomp"].get<bool>());
  EXPECT_TRUE(doc["features"]["namespaces"].get<bool>());
}

}  // namespace
}  // namespace omk
