#include "mcp/stdio_transport.h"

#include <fmt/format.h>
#include <signal.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "mcp/failure.h"
#include "process/child.h"
#include "process/stream_pump.h"

namespace omk::mcp {
namespace {

constexpr size_t kStderrTailBytes = 2048;

std::string program_name(const StdioLaunch& launch) {
  return launch.argv.empty() ? std::string("the server")
                             : std::filesystem::path(launch.argv[0]).filename().string();
}

}  // namespace

StdioTransport::StdioTransport(StdioLaunch launch)
    : launch_(std::move(launch)), framer_(launch_.max_message_bytes) {
  if (launch_.argv.empty()) throw McpError(FailureCategory::kConfigInvalid, "no command");
  process::SpawnOptions options;
  options.argv = launch_.argv;
  options.env = launch_.env;
  options.cwd = launch_.cwd;
  if (launch_.sandbox) {
    try {
      sandbox_ = sandbox::Sandbox::prepare(*launch_.sandbox);
    } catch (const UserError& error) {
      throw McpError(FailureCategory::kSpawnFailed, error.what());
    }
    sandbox_->apply_to_environment(options.env);
  }
  for (int attempt = 0;; ++attempt) {
    options.setup = sandbox_ ? sandbox_->child_setup() : nullptr;
    try {
      child_ = std::make_unique<process::Child>(process::Child::spawn(options));
      break;
    } catch (const process::SpawnError& error) {
      std::string why = fmt::format("{}: {}", error.step(), std::strerror(error.error()));
      if (error.step() == "exec") {
        bool missing = error.error() == ENOENT || error.error() == ENOTDIR;
        throw McpError(
            missing ? FailureCategory::kCommandNotFound : FailureCategory::kSpawnFailed,
            fmt::format("cannot run {}: {}", program_name(launch_), std::strerror(error.error())));
      }
      if (!sandbox_ || attempt >= 3) throw McpError(FailureCategory::kSpawnFailed, why);
      switch (sandbox_->degrade(error.step(), why)) {
        case sandbox::Sandbox::Degrade::kRetry:
          continue;
        case sandbox::Sandbox::Degrade::kRefused:
          throw McpError(FailureCategory::kSpawnFailed,
                         "the sandbox is required but the kernel refused it: " + why);
        case sandbox::Sandbox::Degrade::kNotALayer:
          throw McpError(FailureCategory::kSpawnFailed, why);
      }
    }
  }
  process::StreamHandler out;
  out.redact = false;  // a protocol channel: its bytes go to the JSON-RPC parser only
  out.capture_limit = 0;
  out.on_data = [this](std::string_view chunk) { on_stdout(chunk); };
  process::StreamHandler err;
  err.capture_limit = 0;
  err.on_data = [this](std::string_view chunk) { on_stderr(chunk); };
  pump_ = std::make_unique<process::StreamPump>(*child_, out, err);
}

StdioTransport::~StdioTransport() {
  close();
}

void StdioTransport::on_stdout(std::string_view chunk) {
  std::vector<jsonrpc::LineFramer::Event> events;
  framer_.feed(chunk, events);
  for (auto& event : events) {
    if (event.oversized) {
      protocol_problem_ = fmt::format("{} wrote a message larger than the {} byte limit",
                                      program_name(launch_), launch_.max_message_bytes);
      continue;
    }
    if (event.line.find_first_not_of(" \t") == std::string::npos) continue;
    auto frame = jsonrpc::parse_frame(event.line, launch_.max_message_bytes);
    if (frame.error) {
      // Never quote the line: it is the server's output and may hold anything.
      protocol_problem_ = fmt::format(
          "{} wrote something that is not JSON-RPC to stdout ({}); MCP stdio servers must write "
          "only JSON-RPC messages there (logs belong on stderr)",
          program_name(launch_), frame.error->reason);
      continue;
    }
    for (auto& message : frame.messages) inbox_.push_back(std::move(message));
  }
}

void StdioTransport::on_stderr(std::string_view chunk) {
  // Already redacted by the pump. Logged, never parsed: stderr is free-form.
  stderr_tail_.append(chunk);
  if (stderr_tail_.size() > kStderrTailBytes) {
    stderr_tail_.erase(0, stderr_tail_.size() - kStderrTailBytes);
  }
}

std::string StdioTransport::stderr_tail() const {
  std::string tail = stderr_tail_;
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
  size_t last_line = tail.rfind('\n');
  return last_line == std::string::npos ? tail : tail.substr(last_line + 1);
}

void StdioTransport::fail_exited() {
  const auto& status = child_->wait();
  std::string tail = stderr_tail();
  throw McpError(FailureCategory::kCrashed,
                 fmt::format("{} exited ({}) before answering{}", program_name(launch_),
                             status.describe(), tail.empty() ? "" : "; its stderr: " + tail));
}

void StdioTransport::send(const Json& message, Deadline deadline) {
  if (closed_ || !pump_) throw McpError(FailureCategory::kCrashed, "the server is closed");
  if (!pump_->send(jsonrpc::serialize(message) + "\n")) fail_exited();
  // Push what we can now; receive() keeps pumping the rest.
  auto wake = pump_->pump(std::min(deadline, Clock::now()));
  (void)wake;
}

std::optional<jsonrpc::Message> StdioTransport::receive(Deadline deadline) {
  if (closed_ || !pump_) throw McpError(FailureCategory::kCrashed, "the server is closed");
  while (true) {
    if (protocol_problem_) {
      std::string problem = *protocol_problem_;
      protocol_problem_.reset();
      throw McpError(FailureCategory::kProtocolError, problem);
    }
    if (!inbox_.empty()) {
      jsonrpc::Message message = std::move(inbox_.front());
      inbox_.pop_front();
      return message;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    auto wake = pump_->pump(deadline);
    if (wake.exited) {
      // Read what it wrote before exiting; a response may be in it.
      while (pump_->output_open()) {
        if (pump_->pump(Clock::now() + std::chrono::milliseconds(200)).deadline) break;
      }
      pump_->finish();
      if (auto last = framer_.finish()) {
        std::vector<jsonrpc::LineFramer::Event> events;
        on_stdout(last->line + "\n");
      }
      if (protocol_problem_ || !inbox_.empty()) continue;
      fail_exited();
    }
  }
}

void StdioTransport::close() {
  if (closed_ || !child_) return;
  closed_ = true;
  // The spec's shutdown: close stdin, wait, SIGTERM, wait, SIGKILL.
  pump_->close_stdin_when_drained();
  auto phase = [&](std::chrono::milliseconds grace) {
    Deadline until = Clock::now() + grace;
    while (Clock::now() < until) {
      if (pump_->pump(until).exited) return true;
    }
    return child_->has_exited();
  };
  // Many servers keep running after EOF (timers, open handles); a short first wait keeps a
  // check of ten servers from spending most of its time in shutdown.
  if (!child_->reaped() && !phase(std::chrono::milliseconds(250))) {
    child_->signal_group(SIGTERM);
    if (!phase(std::chrono::milliseconds(1500))) child_->signal_group(SIGKILL);
  }
  child_->signal_group(SIGKILL);  // whatever it left in its group
  pump_->abandon_output();
  child_->wait();
  pump_.reset();
}

}  // namespace omk::mcp
