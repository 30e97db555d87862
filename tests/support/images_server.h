#pragma once

#include <sys/types.h>
#include <nlohmann/json.hpp>

#include <string>

#include "test_support.h"

namespace omk::test {

// The fake OpenAI Images API (tests/support/images_server) as a real child process on
// 127.0.0.1. `script` is its JSON script ({"replies": [...]}, see images_server/main.cc);
// empty means "200 with the requested number of PNG images". It stops when this object goes
// away.
class ImagesServer {
 public:
  explicit ImagesServer(const std::string& script = "");
  ~ImagesServer();
  ImagesServer(const ImagesServer&) = delete;
  ImagesServer& operator=(const ImagesServer&) = delete;

  // What OPENAI_BASE_URL should be: http://127.0.0.1:PORT/v1
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  // Every request received so far: method, path, headers (lower-case), and body (JSON) or
  // fields and files (multipart: filename, content_type, bytes, content_b64).
  nlohmann::json requests() const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int port_ = 0;
};

}  // namespace omk::test
