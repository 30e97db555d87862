// What `omk runs`, `--resume` and `inspect` rebuild a run from after a crash: state.json (the
// checkpoint) with the events of events.jsonl folded in. The input is the checkpoint, a line
// "---", then event lines. Properties: a checkpoint omk cannot read is a UserError (nothing else
// is thrown), folding any event never throws, and the state it arrives at writes back to a
// state.json that reads back to the same document.
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.h"
#include "fuzz_target.h"
#include "runs/run_records.h"

int omk_fuzz_one(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t split = text.find("\n---\n");
  std::string_view checkpoint = text.substr(0, split);
  std::string_view events = split == std::string_view::npos ? "" : text.substr(split + 5);

  omk::runs::RunState state;
  auto parsed = omk::Json::parse(checkpoint, nullptr, false);
  if (!parsed.is_discarded()) {
    try {
      state = omk::runs::run_state_from_json(parsed, "state.json");
    } catch (const omk::UserError&) {
      return 0;  // refused with a message naming the file
    }
  }
  size_t pos = 0;
  while (pos < events.size()) {
    size_t end = events.find('\n', pos);
    if (end == std::string_view::npos) end = events.size();
    auto event = omk::Json::parse(events.substr(pos, end - pos), nullptr, false);
    pos = end + 1;
    if (event.is_discarded() || !event.is_object()) continue;  // read_jsonl skips these too
    omk::runs::apply_event(state, event);
  }
  omk::Json written = omk::runs::to_json(state);
  omk::Json reread = omk::runs::to_json(omk::runs::run_state_from_json(written, "state.json"));
  if (reread != written) std::abort();
  return 0;
}
