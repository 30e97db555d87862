// omk image generate|edit: the OpenAI Images API with an OpenAI Platform project key from the
// runtime environment (see image_credentials.h), results written all-or-nothing.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <regex>

#include "cli/context.h"
#include "cli/image_client.h"
#include "cli/image_credentials.h"
#include "cli/image_output.h"
#include "cli/image_response.h"
#include "cli/stdin_input.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/log.h"
#include "core/output.h"

namespace omk::cli {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxPromptBytes = 1u << 20;
constexpr size_t kMaxInputImageBytes = 50u << 20;  // the API's own limit for GPT image models

struct ImageFlags {
  bool edit = false;
  std::string prompt;
  std::string image;
  std::string mask;
  std::string model = kDefaultImageModel;
  std::string size;
  int n = 0;  // 0: not given
  std::string output;
  std::string api_key_env = kDefaultImageKeyEnv;
  long timeout_seconds = 120;
  bool json = false;
};

std::string read_prompt(const std::string& prompt) {
  std::string text = prompt;
  if (prompt == "-") {
    std::optional<std::string> input = read_stdin(kMaxPromptBytes);
    if (!input) throw usage_error("the prompt on stdin is over 1 MiB");
    text = *input;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw usage_error("the prompt is empty; give it as an argument or '-' to read stdin");
  }
  return text;
}

ImageFile read_input_image(const fs::path& cwd, const std::string& path, const char* flag,
                           bool png_only) {
  fs::path absolute = fs::path(path).is_absolute() ? fs::path(path) : cwd / path;
  std::error_code error;
  if (fs::is_regular_file(absolute, error) &&
      fs::file_size(absolute, error) > kMaxInputImageBytes) {
    throw usage_error(
        fmt::format("{} {}: over the API's {} MiB limit", flag, path, kMaxInputImageBytes >> 20));
  }
  std::optional<std::string> bytes = read_file_if_exists(absolute);
  if (!bytes) throw usage_error(fmt::format("{} {}: no such file", flag, path));
  std::optional<std::string> mime = image_mime_type(*bytes);
  if (!mime || (png_only && *mime != "image/png")) {
    throw usage_error(
        fmt::format("{} {}: not a {} image", flag, path, png_only ? "PNG" : "PNG, JPEG or WebP"));
  }
  return ImageFile{path, std::move(*bytes), *mime};
}

std::string failure_line(const ImageError& error) {
  static const std::map<ImageErrorCategory, const char*> what = {
      {ImageErrorCategory::kAuth, "the API key was rejected; check that it is a live project key"},
      {ImageErrorCategory::kPermission,
       "this project or organisation may not use this model (403)"},
      {ImageErrorCategory::kRateLimit, "rate limited"},
      {ImageErrorCategory::kBilling, "quota or billing limit reached"},
      {ImageErrorCategory::kContentPolicy, "the request was refused by the content policy"},
      {ImageErrorCategory::kBadRequest, "the request was refused"},
      {ImageErrorCategory::kServer, "the API failed; try again later"},
      {ImageErrorCategory::kNetwork, "no answer"},
      {ImageErrorCategory::kTimeout, "timed out"},
      {ImageErrorCategory::kBadResponse, "the answer holds no usable image"},
  };
  std::string line =
      fmt::format("OpenAI Images API: {} [{}", what.at(error.category), to_string(error.category));
  if (error.status != 0) line += fmt::format(", HTTP {}", error.status);
  line += "]";
  if (error.retry_after_seconds) {
    line += fmt::format("; retry after {} s", *error.retry_after_seconds);
  }
  if (!error.message.empty()) line += ": " + error.message;
  return line;
}

Json result_json(const ImageFlags& flags, const std::vector<fs::path>& paths,
                 const ImageResult& result) {
  Json document = json_envelope("image");
  document["ok"] = !result.error.has_value();
  document["operation"] = flags.edit ? "edit" : "generate";
  document["model"] = flags.model;
  Json images = Json::array();
  for (size_t i = 0; i < paths.size(); ++i) {
    images.push_back({{"path", paths[i].string()},
                      {"bytes", result.images[i].size()},
                      {"mime_type", image_mime_type(result.images[i]).value_or("")}});
  }
  document["images"] = images;
  if (!result.revised_prompts.empty()) document["revised_prompts"] = result.revised_prompts;
  if (result.created) document["created"] = *result.created;
  if (!result.usage.is_null()) document["usage"] = result.usage;
  if (result.error) {
    Json error = {{"category", to_string(result.error->category)},
                  {"status", result.error->status},
                  {"message", result.error->message}};
    if (result.error->retry_after_seconds) {
      error["retry_after_seconds"] = *result.error->retry_after_seconds;
    }
    document["error"] = error;
  }
  return document;
}

int run_image(const ImageFlags& flags, const Context& context) {
  ImageApiKey key = image_api_key(context.env, flags.api_key_env);
  std::string base_url = images_base_url(context.env);
  fs::path cwd = fs::current_path();

  ImageRequest request;
  request.operation =
      flags.edit ? ImageRequest::Operation::kEdit : ImageRequest::Operation::kGenerate;
  request.model = flags.model;
  request.prompt = read_prompt(flags.prompt);
  if (!flags.size.empty()) request.size = flags.size;
  if (flags.n > 0) request.n = flags.n;
  request.timeout_seconds = flags.timeout_seconds;
  if (flags.edit) {
    request.image = read_input_image(cwd, flags.image, "IMAGE", false);
    if (!flags.mask.empty()) request.mask = read_input_image(cwd, flags.mask, "--mask", true);
  }
  ImageDestination destination(cwd, flags.output);

  log::debug("images: POST {}/images/{} model={}", base_url, flags.edit ? "edits" : "generations",
             request.model);
  ImageResult result = call_images_api(base_url, key, request);

  std::vector<fs::path> paths;
  if (!result.error) {
    std::vector<std::string> extensions;
    for (const std::string& image : result.images) {
      extensions.push_back(image_extension(image_mime_type(image).value_or("image/png")));
    }
    paths = destination.paths_for(extensions);
    write_images(paths, result.images);
  }

  if (flags.json) {
    print_json(result_json(flags, paths, result));
  } else if (!result.error) {
    for (size_t i = 0; i < paths.size(); ++i) {
      print_out(fmt::format("wrote {} ({} bytes)\n", paths[i].string(), result.images[i].size()));
    }
    for (const std::string& revised : result.revised_prompts) {
      print_out("revised prompt: " + revised + "\n");
    }
  }
  if (!result.error) return 0;
  if (!flags.json) log::error("{}", failure_line(*result.error));
  return to_int(result.error->category == ImageErrorCategory::kTimeout ? ExitCode::kTimeout
                                                                       : ExitCode::kFailed);
}

void add_common_options(CLI::App* command, ImageFlags& flags) {
  command
      ->add_option("--model", flags.model,
                   fmt::format("Images model (default {})", kDefaultImageModel))
      ->type_name("M");
  command->add_option("--size", flags.size, "Image size, WxH or auto (default: the model's)")
      ->type_name("WxH")
      ->check([](const std::string& value) -> std::string {
        static const std::regex shape("^([1-9][0-9]{1,4}x[1-9][0-9]{1,4}|auto)$");
        return std::regex_match(value, shape) ? "" : "--size must be WxH (e.g. 1024x1024) or auto";
      });
  command->add_option("--n", flags.n, "Number of images, 1-10 (default 1)")
      ->type_name("N")
      ->check(CLI::Range(1, 10));
  command
      ->add_option("-o,--output", flags.output,
                   "Write to FILE (several images: FILE-1, FILE-2...) or into DIR (default: "
                   "the current directory)")
      ->type_name("FILE|DIR");
  command
      ->add_option("--api-key-env", flags.api_key_env,
                   "Variable holding an OpenAI Platform project API key (default "
                   "OPENAI_API_KEY); Codex/ChatGPT logins and other vendors' keys are refused")
      ->type_name("NAME");
  command
      ->add_option("--timeout", flags.timeout_seconds, "Seconds to wait for the API (default 120)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1L, 3600L));
  command->add_flag("--json", flags.json, "Print one omk.image.v1 JSON document");
}

}  // namespace

void register_image_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand(
      "image",
      "Generate or edit images with the OpenAI Images API (OpenAI Platform project API key from "
      "the environment only)");
  group->require_subcommand(1);

  auto generate_flags = std::make_shared<ImageFlags>();
  auto* generate = group->add_subcommand(
      "generate",
      "Generate images from a prompt (exit 0 written, 1 API error, 2 usage or key "
      "refused, 124 timeout)");
  generate->add_option("prompt", generate_flags->prompt, "The prompt ('-': read stdin)")
      ->type_name("PROMPT")
      ->required();
  add_common_options(generate, *generate_flags);
  generate->callback([&context, generate_flags] {
    context.action = [&context, generate_flags] { return run_image(*generate_flags, context); };
  });

  auto edit_flags = std::make_shared<ImageFlags>();
  edit_flags->edit = true;
  auto* edit = group->add_subcommand(
      "edit", "Edit an image from a prompt, optionally inside a mask (exit codes as generate)");
  edit->add_option("image", edit_flags->image, "The image to edit (PNG, JPEG or WebP)")
      ->type_name("IMAGE")
      ->required();
  edit->add_option("prompt", edit_flags->prompt, "The prompt ('-': read stdin)")
      ->type_name("PROMPT")
      ->required();
  edit->add_option("--mask", edit_flags->mask,
                   "PNG whose transparent pixels mark where to edit (same size as IMAGE)")
      ->type_name("MASK");
  add_common_options(edit, *edit_flags);
  edit->callback([&context, edit_flags] {
    context.action = [&context, edit_flags] { return run_image(*edit_flags, context); };
  });
}

}  // namespace omk::cli
