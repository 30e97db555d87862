#pragma once

#include <string>

#include "test_support.h"

namespace omk::test {

// The fake OpenAI Images API (tests/support/images_server) on 127.0.0.1. `script` is its JSON
// script ({"replies": [...]}, see images_server/main.cc); empty means "200 with the requested
// number of PNG images". Its request log holds method, path, headers (lower-case), and body
// (JSON) or fields and files (multipart: filename, content_type, bytes, content_b64).
class ImagesServer : public ScriptedServer {
 public:
  explicit ImagesServer(const std::string& script = "")
      : ScriptedServer(OMK_TEST_IMAGES_SERVER, script, "images server") {}

  // What OPENAI_BASE_URL should be: http://127.0.0.1:PORT/v1
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/v1"; }
};

}  // namespace omk::test
