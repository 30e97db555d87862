// omk-images-server: a fake OpenAI Images API for tests, on 127.0.0.1 only. It answers
// POST /v1/images/generations (JSON) and POST /v1/images/edits (multipart) from a JSON script,
// records every request (JSON bodies parsed; multipart fields and file parts summarised), and
// serves the log at GET /_omk/requests.
//
//   omk-images-server [--script FILE] [--exit-on-eof]
//
// The script is {"replies": [REPLY, ...]}; request i gets reply i (the last one repeats).
// REPLY fields, all optional:
//   status (200), images (the request's n, else 1), format ("png"|"jpeg"|"webp"),
//   b64 (use this string as every b64_json), body (send this raw body instead),
//   message/code/type (the {"error": {...}} of a non-2xx reply), retry_after, retry_after_ms,
//   echo_authorization (append the request's Authorization header to the error message, as a
//   careless gateway might), revised_prompt, delay_ms.
// The first line on stdout is the port.
#include <httplib.h>
#include <signal.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "../serve_until_stopped.h"

namespace {

using Json = nlohmann::json;

std::string base64(const std::string& bytes) {
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) |
                 (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += alphabet[(v >> shift) & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// A real 1x1 PNG; the suffix after IEND (ignored by decoders) tells the images apart.
std::string fake_image(const std::string& format, int index) {
  std::string tag = "#omk-fake-" + std::to_string(index);
  if (format == "jpeg") return std::string("\xFF\xD8\xFF\xE0", 4) + "fake-jpeg" + tag;
  if (format == "webp") return std::string("RIFF\x10\0\0\0WEBPVP8 ", 16) + tag;
  static const unsigned char png[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00,
      0x00, 0xb5, 0x1c, 0x0c, 0x02, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78,
      0xda, 0x63, 0x64, 0x60, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x30, 0x81, 0xd0, 0x2f,
      0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(png), sizeof png) + tag;
}

Json request_entry(const httplib::Request& request) {
  Json headers = Json::object();
  for (const auto& [name, value] : request.headers) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers[lower] = value;
  }
  Json entry = {{"method", request.method}, {"path", request.path}, {"headers", headers}};
  if (request.is_multipart_form_data()) {
    Json fields = Json::object();
    Json files = Json::object();
    for (const auto& [name, part] : request.files) {
      if (part.filename.empty()) {
        fields[name] = part.content;
      } else {
        files[name] = {{"filename", part.filename},
                       {"content_type", part.content_type},
                       {"bytes", part.content.size()},
                       {"content_b64", base64(part.content)}};
      }
    }
    entry["fields"] = fields;
    entry["files"] = files;
  } else {
    Json body = Json::parse(request.body, nullptr, false);
    entry["body"] = body.is_discarded() ? Json(request.body) : body;
  }
  return entry;
}

int requested_n(const Json& entry) {
  if (entry.contains("body") && entry["body"].is_object() && entry["body"].contains("n")) {
    return entry["body"]["n"].get<int>();
  }
  if (entry.contains("fields") && entry["fields"].contains("n")) {
    return std::stoi(entry["fields"]["n"].get<std::string>());
  }
  return 1;
}

void answer(const Json& reply, const Json& entry, const httplib::Request& request,
            httplib::Response& response) {
  if (reply.value("delay_ms", 0) > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(reply["delay_ms"].get<int>()));
  }
  int status = reply.value("status", 200);
  response.status = status;
  if (reply.contains("retry_after")) {
    response.set_header("retry-after", std::to_string(reply["retry_after"].get<int>()));
  }
  if (reply.contains("retry_after_ms")) {
    response.set_header("retry-after-ms", std::to_string(reply["retry_after_ms"].get<int>()));
  }
  if (reply.contains("body")) {
    response.set_content(reply["body"].get<std::string>(), "application/json");
    return;
  }
  if (status < 200 || status >= 300) {
    std::string message = reply.value("message", "fake error");
    if (reply.value("echo_authorization", false)) {
      message += " (you sent: " + request.get_header_value("Authorization") + ")";
    }
    Json error = {{"message", message}};
    if (reply.contains("type")) error["type"] = reply["type"];
    if (reply.contains("code")) error["code"] = reply["code"];
    response.set_content(Json{{"error", error}}.dump(), "application/json");
    return;
  }
  int count = reply.value("images", requested_n(entry));
  std::string format = reply.value("format", "png");
  Json data = Json::array();
  for (int i = 0; i < count; ++i) {
    Json item = {{"b64_json", reply.contains("b64") ? reply["b64"].get<std::string>()
                                                    : base64(fake_image(format, i + 1))}};
    if (reply.contains("revised_prompt")) item["revised_prompt"] = reply["revised_prompt"];
    data.push_back(item);
  }
  Json body = {{"created", 1764000000},
               {"data", data},
               {"usage", {{"input_tokens", 10}, {"output_tokens", 20}, {"total_tokens", 30}}}};
  response.set_content(body.dump(), "application/json");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("fake OpenAI Images API for omk's tests");
  std::string script_path;
  bool exit_on_eof = false;
  app.add_option("--script", script_path, "JSON script of replies (default: 200 with images)");
  app.add_flag("--exit-on-eof", exit_on_eof, "stop when stdin reaches end of file");
  CLI11_PARSE(app, argc, argv);

  Json replies = Json::array({Json::object()});
  if (!script_path.empty()) {
    std::ifstream in(script_path);
    Json script = Json::parse(in, nullptr, false);
    if (script.is_discarded() || !script.contains("replies") || !script["replies"].is_array() ||
        script["replies"].empty()) {
      std::cerr << "omk-images-server: bad script " << script_path << "\n";
      return 2;
    }
    replies = script["replies"];
  }

  std::mutex mutex;
  Json log = Json::array();
  httplib::Server server;
  auto handle = [&](const httplib::Request& request, httplib::Response& response) {
    Json entry = request_entry(request);
    Json reply;
    {
      std::lock_guard lock(mutex);
      reply = replies[std::min(log.size(), replies.size() - 1)];
      log.push_back(entry);
    }
    answer(reply, entry, request, response);
  };
  server.Post("/v1/images/generations", handle);
  server.Post("/v1/images/edits", handle);
  server.Get("/_omk/requests", [&](const auto&, auto& response) {
    std::lock_guard lock(mutex);
    response.set_content(log.dump(), "application/json");
  });

  int port = server.bind_to_any_port("127.0.0.1");
  if (port < 0) {
    std::cerr << "omk-images-server: cannot bind 127.0.0.1\n";
    return 1;
  }
  std::cout << port << std::endl;

  omk::test::serve_until_stopped(server, exit_on_eof);
}
