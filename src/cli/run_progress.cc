#include "cli/run_progress.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/output.h"

namespace omk::cli {
namespace {

std::string elapsed(int64_t ms) {
  if (ms < 1000) return fmt::format("{}ms", ms);
  if (ms < 60000) return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000);
  return fmt::format("{}m{:02}s", ms / 60000, (ms / 1000) % 60);
}

int terminal_rows() {
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0) return size.ws_row;
  return 24;
}

int terminal_columns() {
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 100;
}

std::string text_of(const Json& json, const char* key) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

RunProgress::RunProgress(Mode mode) : mode_(mode) {}

void RunProgress::event(const Json& event) {
  if (mode_ == Mode::kJson) {
    print_out(event.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
    return;
  }
  std::lock_guard lock(mutex_);
  const std::string type = text_of(event, "type");
  const std::string node = text_of(event, "node");
  const Json& data = event["data"];
  int64_t now = monotonic_ms();
  std::string plain;
  if (type == "run.started" || type == "run.resumed") {
    run_id_ = text_of(event, "run_id");
    for (const auto& declared : data.value("nodes", Json::array())) {
      std::string id = text_of(declared, "id");
      if (index_.count(id)) continue;
      index_[id] = lanes_.size();
      Lane lane;
      lane.id = id;
      lanes_.push_back(lane);
    }
    plain = fmt::format("run {} {}", run_id_, type == "run.started" ? "started" : "resumed");
  } else if (type == "run.finished") {
    // No line of its own: the summary that follows names the status with the node counts.
  } else if (auto it = index_.find(node); it != index_.end()) {
    Lane& lane = lanes_[it->second];
    if (type == "node.started") {
      lane.state = "running";
      lane.started_ms = now;
      lane.finished_ms = 0;
      lane.provider = text_of(data, "provider");
      lane.last_line.clear();
      plain = fmt::format("{}: started (attempt {})", node, text_of(data, "attempt"));
    } else if (type == "node.finished" || type == "node.state" || type == "node.reused") {
      lane.state = text_of(data, "state");
      lane.reason = text_of(data, "reason");
      if (lane.state != "running") lane.finished_ms = now;
      if (type == "node.finished") {
        plain =
            fmt::format("{}: {}{} ({})", node, lane.state == "pending" ? "will retry" : lane.state,
                        lane.reason.empty() ? "" : ": " + lane.reason,
                        elapsed(data.value("duration_ms", int64_t{0})));
      } else if (lane.state != "pending") {
        plain = fmt::format("{}: {}{}", node, lane.state,
                            lane.reason.empty() ? "" : ": " + lane.reason);
      }
    } else if (type == "gate.finished") {
      const Json& gate = data["gate"];
      plain =
          fmt::format("{}: gate {} #{} {}: {}", node, text_of(gate, "gate"), text_of(gate, "index"),
                      gate.value("passed", false) ? "passed" : "FAILED", text_of(gate, "reason"));
    }
  }
  if (mode_ == Mode::kPlain) {
    if (!plain.empty()) print_out(plain + "\n");
    return;
  }
  redraw_locked(type == "run.finished" || type == "node.started" || type == "node.finished");
}

void RunProgress::output(const std::string& node, std::string_view chunk) {
  if (mode_ != Mode::kTerminal) return;
  std::lock_guard lock(mutex_);
  auto it = index_.find(node);
  if (it == index_.end()) return;
  std::string text(chunk);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  auto cut = text.find_last_of('\n');
  if (cut != std::string::npos) text = text.substr(cut + 1);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';  // no escape sequences from a lane
  }
  if (!text.empty()) lanes_[it->second].last_line = text;
  redraw_locked(false);
}

std::string RunProgress::line_for(const Lane& lane, int64_t now) const {
  int64_t end = lane.finished_ms ? lane.finished_ms : now;
  std::string time = lane.started_ms ? elapsed(end - lane.started_ms) : "";
  std::string detail = lane.state == "running" ? lane.last_line : lane.reason;
  std::string line = fmt::format("  {:<20} {:<9} {:>8}  {}{}", lane.id, lane.state, time,
                                 lane.provider.empty() ? "" : lane.provider + "  ", detail);
  size_t width = static_cast<size_t>(std::max(20, terminal_columns() - 1));
  if (line.size() > width) line = line.substr(0, width);
  return line;
}

void RunProgress::redraw_locked(bool force) {
  int64_t now = monotonic_ms();
  if (!force && now - last_draw_ms_ < 100) return;
  last_draw_ms_ = now;
  std::vector<const Lane*> shown;
  int budget = terminal_rows() - 2;
  for (const auto& lane : lanes_) shown.push_back(&lane);
  if (static_cast<int>(shown.size()) > budget) {
    // Too many lanes for the screen: the running ones, then counts.
    shown.clear();
    for (const auto& lane : lanes_) {
      if (lane.state == "running" && static_cast<int>(shown.size()) < budget - 1)
        shown.push_back(&lane);
    }
  }
  std::string frame;
  if (drawn_lines_ > 0) frame += fmt::format("\033[{}A", drawn_lines_);
  std::map<std::string, int> counts;
  for (const auto& lane : lanes_) ++counts[lane.state];
  std::string header = "run " + run_id_ + ":";
  for (const auto& [state, count] : counts) header += fmt::format(" {} {}", count, state);
  frame += "\033[2K" + header + "\n";
  for (const Lane* lane : shown) frame += "\033[2K" + line_for(*lane, now) + "\n";
  for (int extra = static_cast<int>(shown.size()) + 1; extra < drawn_lines_; ++extra)
    frame += "\033[2K\n";
  drawn_lines_ = std::max(drawn_lines_, static_cast<int>(shown.size()) + 1);
  print_out(frame);
}

void RunProgress::finish() {
  if (mode_ != Mode::kTerminal) return;
  std::lock_guard lock(mutex_);
  redraw_locked(true);
}

}  // namespace omk::cli
