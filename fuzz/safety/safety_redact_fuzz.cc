// The streaming redactor over arbitrary bytes in arbitrary chunks: a known secret value in the
// input must never come out, whatever the chunking.
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_target.h"
#include "safety/redactor.h"
#include "safety/secret_detect.h"

int omk_fuzz_one(const uint8_t* data, size_t size) {
  static const omk::safety::Redactor redactor(omk::safety::builtin_matcher(),
                                              {{"env:FUZZ_TOKEN", "Kn0wnS3cr3tV4lue"}});
  if (size < 2) return 0;
  size_t chunk = 1 + (static_cast<size_t>(data[0]) << 8 | data[1]) % 4096;
  std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  auto stream = redactor.stream();
  std::string out;
  for (size_t at = 0; at < text.size(); at += chunk) out += stream->feed(text.substr(at, chunk));
  out += stream->finish();
  std::string whole = redactor.redact(text);
  const std::string_view known = "Kn0wnS3cr3tV4lue";
  if (out.find(known) != std::string::npos || whole.find(known) != std::string::npos) std::abort();
  return 0;
}
