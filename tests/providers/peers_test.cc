// The real agent CLIs pinned in tests/peers, each run through its adapter against the scripted
// model server (127.0.0.1) in a scratch git workspace. The scripted turn writes a file, runs
// `env` and tries to read a key planted in the real ~/.ssh. The test asserts the file, the
// parsed result, that the prompt never appeared in any process's argv (sampled from /proc while
// the turn runs), that no secret of omk's own environment reached the agent's tool, and that
// the sandbox kept the key out of reach.
#include <dirent.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "provider_fixture.h"
#include "providers/runner.h"

namespace omk::providers {
namespace {

namespace fs = std::filesystem;
using test_fixture::Project;

constexpr const char* kPrompt = "PROMPT-7f3a9c: create out.txt containing hello";
constexpr const char* kPlantedEnvSecret = "tok-planted-in-omk-env-5d1e8b2a";
constexpr const char* kPlantedAws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTED01";
constexpr const char* kSshKeyLine = "PLANTED-SSH-PRIVATE-KEY-BODY";

struct PeerCase {
  std::string id;
  std::string base_suffix;  // appended to the server's base URL
  std::string model;        // "": the CLI's default
};

std::string case_name(const testing::TestParamInfo<PeerCase>& info) {
  return info.param.id;
}

// Every argv of every process on the machine now, joined.
std::string all_cmdlines() {
  std::string text;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return text;
  while (dirent* entry = ::readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/") + entry->d_name + "/cmdline", std::ios::binary);
    std::stringstream data;
    data << in.rdbuf();
    text += data.str();
    text += '\n';
  }
  ::closedir(proc);
  return text;
}

class PeerCli : public testing::TestWithParam<PeerCase> {};

TEST_P(PeerCli, RunsATurnAgainstTheScriptedModelInsideOmksSandbox) {
  std::string path = test_fixture::peers_path();
  if (path.empty()) GTEST_SKIP() << "tests/peers not installed (scripts/bootstrap --tests)";
  const PeerCase& peer = GetParam();

  Project project;
  test::write_text(project.home / ".ssh/id_ed25519",
                   std::string("-----BEGIN OPENSSH PRIVATE KEY-----\n") + kSshKeyLine +
                       "\n-----END OPENSSH PRIVATE KEY-----\n");
  std::string key_path = (project.home / ".ssh/id_ed25519").string();
  nlohmann::json script = {{"steps",
                            {{{"shell", "echo hello > out.txt; env > env.txt"}},
                             {{"shell", "cat " + key_path + " > key.txt 2>&1; true"}},
                             {{"text", "done: wrote out.txt"}}}}};
  test::ModelServer server(script.dump());

  project.env["PATH"] = path;
  project.env["FAKE_MODEL_API_KEY"] = "dummy-key-for-the-fake-model";
  project.env["MY_SERVICE_TOKEN"] = kPlantedEnvSecret;
  project.env["AWS_SECRET_ACCESS_KEY"] = kPlantedAws;
  std::string toml = "[providers." + peer.id + "]\nbase_url = \"" + server.base_url() +
                     peer.base_suffix + "\"\napi_key_env = \"FAKE_MODEL_API_KEY\"\n";
  if (!peer.model.empty()) toml += "model = \"" + peer.model + "\"\n";
  project.config(toml);

  TurnRequest request;
  request.provider = peer.id;
  request.prompt = kPrompt;
  request.workspace = project.root;
  request.risk = Risk::kShell;
  request.execution = Execution::kAuto;
  request.timeout = std::chrono::milliseconds(240000);
  std::vector<TurnEvent> streamed;
  request.on_event = [&](const TurnEvent& event) { streamed.push_back(event); };

  std::atomic<bool> running{true};
  std::atomic<bool> prompt_in_argv{false};
  std::atomic<int> samples{0};
  std::thread sampler([&] {
    while (running.load()) {
      if (all_cmdlines().find("PROMPT-7f3a9c") != std::string::npos) prompt_in_argv = true;
      ++samples;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  });
  TurnResult result = run_turn(project.context(), request);
  running = false;
  sampler.join();

  ASSERT_TRUE(result.success) << result.message << "\nnotes: " << nlohmann::json(result.notes)
                              << "\nrequests: " << server.requests().size();
  EXPECT_GT(samples.load(), 0);
  EXPECT_FALSE(prompt_in_argv.load()) << "the prompt appeared in a process's argv";
  // The prompt did reach the model (Kimi Code's through a pointer to its 0600 prompt file,
  // which the scripted model never opens).
  EXPECT_NE(server.requests().dump().find(peer.id == "kimi" ? "Your task is in the file"
                                                            : "PROMPT-7f3a9c"),
            std::string::npos);

  EXPECT_EQ(test::read_text(project.root / "out.txt"), "hello\n") << to_json(result).dump(1);
  EXPECT_NE(result.final_message.find("done: wrote out.txt"), std::string::npos)
      << result.final_message;
  bool saw_command = false;
  for (const TurnEvent& event : result.events) {
    if (event.kind == TurnEvent::Kind::kCommand &&
        event.command.find("echo hello > out.txt") != std::string::npos) {
      saw_command = true;
    }
  }
  EXPECT_TRUE(saw_command) << "no command event parsed";
  EXPECT_FALSE(streamed.empty());
  EXPECT_NE(std::find(result.files_changed.begin(), result.files_changed.end(), "out.txt"),
            result.files_changed.end());

  // What the agent's tool saw: nothing of omk's secrets, and not the SSH key.
  std::string env = test::read_text(project.root / "env.txt");
  EXPECT_FALSE(env.empty());
  EXPECT_EQ(env.find(kPlantedEnvSecret), std::string::npos);
  EXPECT_EQ(env.find(kPlantedAws), std::string::npos);
  EXPECT_EQ(env.find("HOME=" + project.home.string() + "\n"), std::string::npos)
      << "the agent saw the real HOME";
  std::string key = test::read_text(project.root / "key.txt");
  // (OpenCode refuses a path outside the workspace itself: `external_directory` is denied.)
  EXPECT_EQ(key.find(kSshKeyLine), std::string::npos) << "the sandbox let the agent read ~/.ssh";
  EXPECT_TRUE(result.sandbox["layers"]["landlock"].value("enforced", false) ||
              !result.sandbox.value("missing", nlohmann::json::array()).empty())
      << result.sandbox.dump();
}

INSTANTIATE_TEST_SUITE_P(Pinned, PeerCli,
                         testing::Values(PeerCase{"codex", "/v1", "gpt-5.5"},
                                         PeerCase{"claude", "", ""},
                                         PeerCase{"qwen", "/v1", "fake-model"},
                                         PeerCase{"gemini", "", "gemini-2.5-flash"},
                                         PeerCase{"opencode", "/v1", "fake-model"},
                                         PeerCase{"kimi", "/v1", "fake-model"}),
                         case_name);

}  // namespace
}  // namespace omk::providers
