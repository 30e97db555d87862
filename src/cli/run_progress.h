#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_output.h"

namespace omk::cli {

// Live progress of a run. On a terminal: one line per lane (status, elapsed, provider, last
// output line), redrawn in place. Otherwise: one plain line per event worth a line. With --json:
// every event as one omk.event.v1 line.
class RunProgress {
 public:
  enum class Mode { kTerminal, kPlain, kJson };
  explicit RunProgress(Mode mode);

  void event(const Json& event);                                 // the run loop's thread
  void output(const std::string& node, std::string_view chunk);  // any lane thread
  void finish();

 private:
  struct Lane {
    std::string id;
    std::string state = "pending";
    std::string provider;
    std::string last_line;
    int64_t started_ms = 0;
    int64_t finished_ms = 0;
    std::string reason;
  };
  void redraw_locked(bool force);
  std::string line_for(const Lane& lane, int64_t now) const;

  Mode mode_;
  std::mutex mutex_;
  std::vector<Lane> lanes_;
  std::map<std::string, size_t> index_;
  std::string run_id_;
  int drawn_lines_ = 0;
  int64_t last_draw_ms_ = 0;
};

}  // namespace omk::cli
