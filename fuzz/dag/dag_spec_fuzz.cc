// The DAG spec reader (YAML or JSON) over arbitrary text. Properties: it never throws or
// crashes; it returns a spec or problems, never both and never neither; every problem has a
// message; and a spec it accepts survives its own normalised form (run.json keeps that form, and
// resume, replay and verify read it back): the JSON reads back through both readers to the
// same spec hash.
#include <cstdlib>
#include <string>
#include <string_view>

#include "dag/spec_json.h"
#include "dag/spec_parser.h"
#include "fuzz_target.h"

int omk_fuzz_one(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  omk::dag::SpecResult result = omk::dag::read_spec(text, "fuzz.yaml");
  if (result.spec.has_value() == !result.problems.empty()) std::abort();
  for (const auto& problem : result.problems) {
    if (problem.message.empty()) std::abort();
  }
  if (!result.spec) return 0;
  const std::string hash = omk::dag::spec_hash(*result.spec);
  omk::Json normalised = omk::dag::spec_to_json(*result.spec);
  if (omk::dag::spec_hash(omk::dag::spec_from_json(normalised, "run.json")) != hash) std::abort();
  omk::dag::SpecResult again = omk::dag::read_spec(normalised.dump(), "run.json");
  if (!again.spec || omk::dag::spec_hash(*again.spec) != hash) std::abort();
  return 0;
}
