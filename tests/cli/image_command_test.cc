// omk image generate|edit end to end: the real binary against the fake Images API
// (tests/support/images_server) on 127.0.0.1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <random>

#include "images_server.h"
#include "secret_corpus.h"
#include "test_support.h"

extern char** environ;

namespace omk {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kUnset = "\x01";

std::string cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return xdg;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.cache";
}

class ImageCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = tmp_.path() / "home";
    work_ = tmp_.path() / "work";
    fs::create_directories(home_);
    fs::create_directories(work_);
    test::TokenGenerator gen(std::random_device{}());
    key_ = gen.expand("sk-proj-{u:156}");
  }

  // omk with a scrubbed credential environment: HOME is a temp dir, the key and base URL are
  // exactly what the test says.
  test::CommandResult omk(const std::vector<std::string>& args,
                          std::map<std::string, std::string> env = {}) {
    env.emplace("HOME", home_.string());
    // The compiled secret-rule cache stays where it was: a cold one costs seconds per run.
    env.emplace("XDG_CACHE_HOME", cache_dir());
    env.emplace("OPENAI_API_KEY", key_);
    env.emplace("OPENAI_BASE_URL", server_ ? server_->base_url() : kUnset);
    env.emplace("OMK_PROJECT_ROOT", kUnset);
    return test::run_omk(args, work_, env);
  }

  test::ImagesServer& serve(const std::string& script = "") {
    server_ = std::make_unique<test::ImagesServer>(script);
    return *server_;
  }

  std::vector<std::string> files_in(const fs::path& dir) const {
    std::vector<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      names.push_back(fs::relative(entry.path(), dir).string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  void expect_no_key(const test::CommandResult& result) {
    EXPECT_EQ(result.out.find(key_), std::string::npos) << result.out;
    EXPECT_EQ(result.err.find(key_), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find(key_.substr(8, 24)), std::string::npos) << result.err;
  }

  test::TempDir tmp_;
  fs::path home_;
  fs::path work_;
  std::string key_;
  std::unique_ptr<test::ImagesServer> server_;
};

std::string fake_png(int index) {
  static const unsigned char png[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00,
      0x00, 0xb5, 0x1c, 0x0c, 0x02, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78,
      0xda, 0x63, 0x64, 0x60, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x30, 0x81, 0xd0, 0x2f,
      0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(png), sizeof png) + "#omk-fake-" +
         std::to_string(index);
}

TEST_F(ImageCommand, GenerateSendsTheDocumentedJsonRequest) {
  auto& server = serve();
  auto result = omk({"image", "generate", "a red fox in snow", "--model", "gpt-image-1", "--size",
                     "1024x1024", "--n", "2", "-o", "out/"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  json requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const json& request = requests[0];
  EXPECT_EQ(request["method"], "POST");
  EXPECT_EQ(request["path"], "/v1/images/generations");
  EXPECT_EQ(request["headers"]["authorization"], "Bearer " + key_);
  EXPECT_EQ(request["headers"]["content-type"], "application/json");
  EXPECT_EQ(request["body"], (json{{"model", "gpt-image-1"},
                                   {"prompt", "a red fox in snow"},
                                   {"n", 2},
                                   {"size", "1024x1024"}}));
  auto files = files_in(work_ / "out");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(test::read_text(work_ / "out" / files[0]), fake_png(1));
  EXPECT_EQ(test::read_text(work_ / "out" / files[1]), fake_png(2));
  EXPECT_NE(result.out.find("wrote "), std::string::npos);
  expect_no_key(result);
}

TEST_F(ImageCommand, GenerateOmitsUnsetOptionsAndWritesIntoTheCurrentDirectory) {
  auto& server = serve();
  auto result = omk({"image", "generate", "a lighthouse"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server.requests()[0]["body"],
            (json{{"model", "gpt-image-1"}, {"prompt", "a lighthouse"}}));
  auto files = files_in(work_);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].rfind("omk-image-", 0), 0u) << files[0];
  EXPECT_EQ(fs::path(files[0]).extension(), ".png");
}

TEST_F(ImageCommand, GenerateIntoAFileNumbersSeveralImagesAndKeepsTheFormat) {
  serve(R"({"replies": [{"images": 1, "format": "jpeg"}, {"images": 3}]})");
  auto one = omk({"image", "generate", "p", "-o", "single.jpg"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_TRUE(fs::exists(work_ / "single.jpg"));
  auto three = omk({"image", "generate", "p", "--n", "3", "-o", "fox.png"});
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_EQ(test::read_text(work_ / "fox-3.png"), fake_png(3));
  EXPECT_FALSE(fs::exists(work_ / "fox.png"));
}

TEST_F(ImageCommand, JsonOutputFollowsTheSchema) {
  serve(R"({"replies": [{"revised_prompt": "a calm red fox"}]})");
  auto result = omk({"image", "generate", "a fox", "--json", "-o", "fox.png"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::schema_errors("omk.image.v1", result.out), "");
  json document = json::parse(result.out);
  EXPECT_EQ(document["schema"], "omk.image.v1");
  EXPECT_EQ(document["ok"], true);
  EXPECT_EQ(document["operation"], "generate");
  EXPECT_EQ(document["images"][0]["path"], (work_ / "fox.png").string());
  EXPECT_EQ(document["images"][0]["mime_type"], "image/png");
  EXPECT_EQ(document["images"][0]["bytes"], fake_png(1).size());
  EXPECT_EQ(document["revised_prompts"][0], "a calm red fox");
  EXPECT_EQ(document["usage"]["total_tokens"], 30);
  EXPECT_EQ(result.out.find("a fox\""), std::string::npos);  // the prompt is not echoed
}

TEST_F(ImageCommand, PromptFromStdin) {
  auto& server = serve();
  test::CommandOptions options;
  options.argv = {test::omk_binary(), "image", "generate", "-"};
  options.cwd = work_;
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  env["HOME"] = home_.string();
  env["XDG_CACHE_HOME"] = cache_dir();
  env["OPENAI_API_KEY"] = key_;
  env["OPENAI_BASE_URL"] = server.base_url();
  options.env = env;
  options.stdin_data = "a prompt that never touches argv\n";
  auto result = test::run_command(options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server.requests()[0]["body"]["prompt"], "a prompt that never touches argv\n");
}

TEST_F(ImageCommand, EditSendsMultipartWithImageAndMask) {
  auto& server = serve();
  test::write_text(work_ / "photo.png", fake_png(7));
  test::write_text(work_ / "mask.png", fake_png(8));
  auto result = omk({"image", "edit", "photo.png", "add a hat", "--mask", "mask.png", "--size",
                     "auto", "-o", "edited.png", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(test::schema_errors("omk.image.v1", result.out), "");
  EXPECT_EQ(json::parse(result.out)["operation"], "edit");
  json request = server.requests()[0];
  EXPECT_EQ(request["path"], "/v1/images/edits");
  EXPECT_EQ(request["headers"]["authorization"], "Bearer " + key_);
  EXPECT_EQ(request["headers"]["content-type"].get<std::string>().rfind("multipart/form-data", 0),
            0u);
  EXPECT_EQ(request["fields"],
            (json{{"model", "gpt-image-1"}, {"prompt", "add a hat"}, {"size", "auto"}}));
  EXPECT_EQ(request["files"]["image"]["filename"], "photo.png");
  EXPECT_EQ(request["files"]["image"]["content_type"], "image/png");
  EXPECT_EQ(request["files"]["image"]["bytes"], fake_png(7).size());
  EXPECT_EQ(request["files"]["mask"]["filename"], "mask.png");
  EXPECT_EQ(test::read_text(work_ / "edited.png"), fake_png(1));
  expect_no_key(result);
}

TEST_F(ImageCommand, EditTakesJpegAndWebpByTheirBytes) {
  auto& server = serve();
  test::write_text(work_ / "photo.bin", std::string("\xFF\xD8\xFF\xE0", 4) + "jpeg body");
  auto result = omk({"image", "edit", "photo.bin", "brighter", "-o", "out.png"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server.requests()[0]["files"]["image"]["content_type"], "image/jpeg");
}

TEST_F(ImageCommand, EditRefusesBadInputsBeforeAnyRequest) {
  auto& server = serve();
  test::write_text(work_ / "notes.txt", "not an image");
  test::write_text(work_ / "photo.png", fake_png(1));
  test::write_text(work_ / "mask.jpg", std::string("\xFF\xD8\xFF\xE0", 4) + "x");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"image", "edit", "missing.png", "p"}, "IMAGE missing.png: no such file"},
           {{"image", "edit", "notes.txt", "p"}, "IMAGE notes.txt: not a PNG, JPEG or WebP image"},
           {{"image", "edit", "photo.png", "p", "--mask", "mask.jpg"},
            "--mask mask.jpg: not a PNG image"},
           {{"image", "edit", "photo.png", " "}, "the prompt is empty"},
           {{"image", "generate", "p", "-o", "no/such/dir/x.png"}, "does not exist"}}) {
    auto result = omk(c.args);
    EXPECT_EQ(result.exit_code, 2) << c.message;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << result.err;
  }
  EXPECT_TRUE(server.requests().empty());
  EXPECT_EQ(files_in(work_), (std::vector<std::string>{"mask.jpg", "notes.txt", "photo.png"}));
}

TEST_F(ImageCommand, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"image", "generate", "p", "--size", "big"},
        std::vector<std::string>{"image", "generate", "p", "--n", "11"},
        std::vector<std::string>{"image", "generate"}, std::vector<std::string>{"image"}}) {
    auto result = omk(args);
    EXPECT_EQ(result.exit_code, 2) << args.back() << result.err;
  }
}

// --- credentials ----------------------------------------------------------------------------

struct Refusal {
  std::string name;
  std::map<std::string, std::string> env;
  std::vector<std::string> extra_args;
  std::string message;
};

TEST_F(ImageCommand, RefusesEverythingButAPlatformProjectKey) {
  auto& server = serve();
  test::TokenGenerator gen(std::random_device{}());
  std::string jwt = gen.expand("eyJ{u:20}.eyJ{u:120}.{u:43}");
  std::string anthropic = gen.expand("sk-ant-api03-{u:93}AA");
  std::string deepseek = gen.expand("sk-{h:32}");
  std::string legacy = gen.expand("sk-{a:20}T3BlbkFJ{a:20}");
  // A Codex login on disk holds a usable-looking key: omk must not look at it.
  test::write_text(
      home_ / ".codex" / "auth.json",
      R"({"OPENAI_API_KEY": ")" + key_ + R"(", "tokens": {"access_token": ")" + jwt + R"("}})");
  std::vector<Refusal> cases = {
      {"missing", {{"OPENAI_API_KEY", kUnset}}, {}, "OpenAI API key is missing: OPENAI_API_KEY"},
      {"empty", {{"OPENAI_API_KEY", ""}}, {}, "OPENAI_API_KEY is empty"},
      {"codex jwt", {{"OPENAI_API_KEY", jwt}}, {}, "Codex/ChatGPT OAuth"},
      {"bearer", {{"OPENAI_API_KEY", "Bearer " + jwt}}, {}, "Codex/ChatGPT OAuth"},
      {"anthropic", {{"OPENAI_API_KEY", anthropic}}, {}, "anthropic-api-key"},
      {"deepseek", {{"OPENAI_API_KEY", deepseek}}, {}, "sk-hex-api-key"},
      {"legacy", {{"OPENAI_API_KEY", legacy}}, {}, "legacy user key"},
      {"auth.json path",
       {{"OPENAI_API_KEY", (home_ / ".codex/auth.json").string()}},
       {},
       "is a file path"},
      {"custom var missing", {}, {"--api-key-env", "IMAGES_KEY"}, "IMAGES_KEY is not set"},
      {"denylisted var", {{"GITHUB_TOKEN", key_}}, {"--api-key-env", "GITHUB_TOKEN"}, "never"},
  };
  for (const Refusal& c : cases) {
    std::vector<std::string> args = {"image", "generate", "a fox", "-o", "out.png"};
    args.insert(args.end(), c.extra_args.begin(), c.extra_args.end());
    auto result = omk(args, c.env);
    EXPECT_EQ(result.exit_code, 2) << c.name << ": " << result.err;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << c.name << ": " << result.err;
    for (const auto& [name, value] : c.env) {
      if (value.size() > 16) {
        EXPECT_EQ(result.err.find(value), std::string::npos) << c.name << " printed the value";
      }
    }
    expect_no_key(result);
  }
  // Same refusals for edit.
  test::write_text(work_ / "photo.png", fake_png(1));
  auto edit = omk({"image", "edit", "photo.png", "p"}, {{"OPENAI_API_KEY", jwt}});
  EXPECT_EQ(edit.exit_code, 2);
  EXPECT_NE(edit.err.find("Codex/ChatGPT OAuth"), std::string::npos) << edit.err;

  EXPECT_TRUE(server.requests().empty()) << server.requests().dump();
  EXPECT_EQ(files_in(work_), std::vector<std::string>{"photo.png"});
}

TEST_F(ImageCommand, KeyFromANamedVariableAndServiceAccountKeys) {
  auto& server = serve();
  test::TokenGenerator gen(std::random_device{}());
  std::string service = gen.expand("sk-svcacct-{u:120}");
  auto result = omk({"image", "generate", "p", "--api-key-env", "IMAGES_KEY", "-o", "a.png"},
                    {{"OPENAI_API_KEY", kUnset}, {"IMAGES_KEY", service}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(server.requests()[0]["headers"]["authorization"], "Bearer " + service);
}

TEST_F(ImageCommand, BaseUrlMustNotSendTheKeyInClearText) {
  auto result =
      omk({"image", "generate", "p"}, {{"OPENAI_BASE_URL", "http://images.example.com/v1"}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unencrypted"), std::string::npos) << result.err;
  auto bad = omk({"image", "generate", "p"}, {{"OPENAI_BASE_URL", "ftp://x/v1"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("not an http(s) URL"), std::string::npos) << bad.err;
}

// --- API errors: categorised, redacted, nothing written ---------------------------------------

struct ApiFailure {
  std::string reply;
  std::string category;
  int status;
  std::string text;
  int exit_code = 1;
};

TEST_F(ImageCommand, ApiErrorsAreCategorisedRedactedAndWriteNothing) {
  std::vector<ApiFailure> cases = {
      {R"({"status": 401, "message": "Incorrect API key provided", "code": "invalid_api_key",
           "echo_authorization": true})",
       "auth", 401, "key was rejected"},
      {R"({"status": 429, "retry_after": 20, "message": "Rate limit reached for images"})",
       "rate_limit", 429, "retry after 20 s"},
      {R"({"status": 429, "message": "You exceeded your current quota",
           "code": "insufficient_quota"})",
       "billing", 429, "quota or billing"},
      {R"({"status": 400, "message": "Your request was rejected by the safety system",
           "code": "content_policy_violation"})",
       "content_policy", 400, "content policy"},
      {R"({"status": 403, "message": "organization must be verified"})", "permission", 403,
       "may not use this model"},
      {R"({"status": 400, "message": "Invalid size"})", "bad_request", 400, "Invalid size"},
      {R"({"status": 500, "message": "The server had an error"})", "server", 500,
       "try again later"},
      {R"({"status": 503, "body": "<html>upstream down</html>"})", "server", 503, "upstream down"},
      {R"({"status": 200, "b64": "not base64!"})", "bad_response", 200, "not a base64"},
      {R"({"status": 200, "body": "{\"data\": [{\"url\": \"https://example.com/a.png\"}]}"})",
       "bad_response", 200, "URL results are not fetched"},
      {R"({"delay_ms": 2500})", "timeout", 0, "timed out", 124},
  };
  for (const ApiFailure& c : cases) {
    serve(R"({"replies": [)" + c.reply + "]}");
    auto text = omk({"image", "generate", "p", "--n", "2", "-o", "out/", "--timeout", "1"});
    EXPECT_EQ(text.exit_code, c.exit_code) << c.reply << text.err;
    EXPECT_NE(text.err.find("[" + c.category), std::string::npos) << text.err;
    EXPECT_NE(text.err.find(c.text), std::string::npos) << text.err;
    expect_no_key(text);

    auto json_run = omk({"image", "generate", "p", "--json", "--timeout", "1"});
    EXPECT_EQ(json_run.exit_code, c.exit_code) << json_run.err;
    EXPECT_EQ(test::schema_errors("omk.image.v1", json_run.out), "") << json_run.out;
    json document = json::parse(json_run.out);
    EXPECT_EQ(document["ok"], false);
    EXPECT_EQ(document["error"]["category"], c.category);
    EXPECT_EQ(document["error"]["status"], c.status);
    EXPECT_TRUE(document["images"].empty());
    if (c.category == "rate_limit") {
      EXPECT_EQ(document["error"]["retry_after_seconds"], 20);
    }
    expect_no_key(json_run);

    EXPECT_TRUE(files_in(work_).empty()) << c.category << " left files behind";
  }
}

TEST_F(ImageCommand, NetworkFailureIsCategorised) {
  int port;
  {
    test::ImagesServer gone;  // a port that was just free: nothing listens there now
    port = std::stoi(gone.base_url().substr(gone.base_url().rfind(':') + 1));
  }
  auto result = omk({"image", "generate", "p"},
                    {{"OPENAI_BASE_URL", "http://127.0.0.1:" + std::to_string(port) + "/v1"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("[network]"), std::string::npos) << result.err;
  EXPECT_TRUE(files_in(work_).empty());
}

TEST_F(ImageCommand, AFailedWriteLeavesNothingBehind) {
  serve(R"({"replies": [{"images": 2}]})");
  // The second image's name is taken by a directory, so its write fails after the first's.
  fs::create_directories(work_ / "fox-2.png");
  auto result = omk({"image", "generate", "p", "--n", "2", "-o", "fox.png"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_FALSE(fs::exists(work_ / "fox-1.png"));
  EXPECT_EQ(files_in(work_), std::vector<std::string>{"fox-2.png"});
}

}  // namespace
}  // namespace omk
