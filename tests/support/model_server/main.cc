// omk-model-server: a scripted model for tests. It speaks the wire protocols real agent CLIs use
// (OpenAI Chat Completions and Responses, Anthropic Messages, Gemini generateContent, all
// streaming), replays a JSON script, records every request, and listens on 127.0.0.1 only.
//
//   omk-model-server [--script FILE] [--port N] [--log FILE] [--exit-on-eof]
//
// The first line on stdout is the port. GET /_omk/requests returns the request log as JSON.
#include <httplib.h>
#include <signal.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "../serve_until_stopped.h"
#include "wire.h"

namespace {

using omk::model_server::Json;
using omk::model_server::Reply;
using omk::model_server::Script;

class RequestLog {
 public:
  explicit RequestLog(std::string path) : path_(std::move(path)) {}
  void add(Json entry) {
    std::lock_guard lock(mutex_);
    if (!path_.empty()) {
      std::ofstream out(path_, std::ios::app);
      out << entry.dump() << "\n";
    }
    entries_.push_back(std::move(entry));
  }
  Json all() {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  std::mutex mutex_;
  std::string path_;
  Json entries_ = Json::array();
};

Json request_entry(const httplib::Request& request) {
  Json headers = Json::object();
  for (const auto& [name, value] : request.headers) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers[lower] = value;
  }
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded()) body = request.body;
  return {
      {"method", request.method},
      {"path", request.path},
      {"query", request.params.empty() ? "" : httplib::detail::params_to_query_str(request.params)},
      {"headers", headers},
      {"body", body}};
}

void send(httplib::Response& response, const Reply& reply) {
  if (reply.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
  response.status = reply.status;
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  response.set_content(reply.body, reply.content_type.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("scripted model server for omk's tests");
  std::string script_path, log_path;
  int port = 0;
  bool exit_on_eof = false;
  app.add_option("--script", script_path, "JSON script of steps (default: shell then text)");
  app.add_option("--port", port, "port on 127.0.0.1 (0: any free port)");
  app.add_option("--log", log_path, "append every request as a JSON line to this file");
  app.add_flag("--exit-on-eof", exit_on_eof, "stop when stdin reaches end of file");
  CLI11_PARSE(app, argc, argv);

  Script script;
  try {
    if (script_path.empty()) {
      script = omk::model_server::default_script();
    } else {
      std::ifstream in(script_path);
      if (!in) throw std::runtime_error("cannot read " + script_path);
      script = omk::model_server::parse_script(Json::parse(in));
    }
  } catch (const std::exception& error) {
    std::cerr << "omk-model-server: bad script: " << error.what() << "\n";
    return 2;
  }

  RequestLog log(log_path);
  httplib::Server server;
  auto handle = [&](const httplib::Request& request, httplib::Response& response, auto&& answer) {
    Json entry = request_entry(request);
    Json body = entry["body"];
    if (!body.is_object()) {
      response.status = 400;
      response.set_content(R"({"error":{"message":"body is not JSON"}})", "application/json");
      entry["reply"] = {{"status", 400}};
      log.add(entry);
      return;
    }
    Reply reply = answer(body);
    entry["reply"] = {{"status", reply.status}, {"kind", reply.kind}, {"step", reply.step_index}};
    log.add(entry);
    send(response, reply);
  };

  server.Post(R"(/(v1/)?chat/completions)", [&](const auto& req, auto& res) {
    handle(req, res, [&](const Json& body) {
      return omk::model_server::answer_chat_completions(body, script);
    });
  });
  server.Post(R"(/(v1/)?responses)", [&](const auto& req, auto& res) {
    handle(req, res,
           [&](const Json& body) { return omk::model_server::answer_responses(body, script); });
  });
  server.Post(R"(/(v1/)?messages)", [&](const auto& req, auto& res) {
    handle(req, res, [&](const Json& body) {
      return omk::model_server::answer_anthropic_messages(body, script);
    });
  });
  server.Post(R"(/v1(beta)?/models/([^:/]+):(streamGenerateContent|generateContent))",
              [&](const auto& req, auto& res) {
                std::string model = req.matches[2];
                bool stream = req.matches[3] == "streamGenerateContent";
                handle(req, res, [&](const Json& body) {
                  return omk::model_server::answer_gemini(body, script, model, stream);
                });
              });
  server.Get(R"(/(v1/)?models)", [&](const auto& req, auto& res) {
    Json entry = request_entry(req);
    entry["reply"] = {{"status", 200}, {"kind", "models"}};
    log.add(entry);
    Json data = Json::array();
    for (const auto& id : script.models) {
      data.push_back({{"id", id}, {"object", "model"}, {"owned_by", "omk-tests"}});
    }
    res.set_content(Json{{"object", "list"}, {"data", data}}.dump(), "application/json");
  });
  server.Get("/_omk/requests", [&](const auto&, auto& res) {
    res.set_content(log.all().dump(), "application/json");
  });
  server.set_error_handler([&](const auto& req, auto& res) {
    if (res.status == 404) {
      Json entry = request_entry(req);
      entry["reply"] = {{"status", 404}, {"kind", "unknown-endpoint"}};
      log.add(entry);
    }
  });

  int bound = port == 0 ? server.bind_to_any_port("127.0.0.1")
                        : (server.bind_to_port("127.0.0.1", port) ? port : -1);
  if (bound < 0) {
    std::cerr << "omk-model-server: cannot bind 127.0.0.1:" << port << "\n";
    return 1;
  }
  std::cout << bound << std::endl;

  omk::test::serve_until_stopped(server, exit_on_eof);
}
