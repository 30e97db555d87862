#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pty_process.h"
#include "test_support.h"

namespace omk::repl::test_fixture {

// A project (a git repository with .omk/), its own HOME, and the environment `omk chat` runs
// with. With the pinned agent CLIs (tests/peers) on PATH, `claude` is pointed at a scripted
// model server on 127.0.0.1.
struct ChatProject {
  omk::test::TempDir tmp;
  std::filesystem::path root = tmp.path() / "project";
  std::filesystem::path home = tmp.path() / "home";
  std::map<std::string, std::string> env;

  ChatProject();
  // Puts the pinned CLIs on PATH; false when they are not installed.
  bool use_peers();
  // [providers.claude] pointed at `server`, plus `extra` TOML.
  void claude_at(const omk::test::ModelServer& server, const std::string& extra = "");
  // `ignore_hangup`: started as under nohup (SIGHUP ignored).
  std::unique_ptr<omk::test::PtyProcess> start(const std::vector<std::string>& args,
                                               bool ignore_hangup = false) const;
  // `omk ARGS` with `stdin_data` on a pipe (not a terminal).
  omk::test::CommandResult run(const std::vector<std::string>& args,
                               const std::string& stdin_data = "") const;
  // The single run under .omk/runs ("" when there is none or more than one).
  std::string only_run_id() const;
};

// The scripted model's steps as its JSON script.
std::string script(const std::string& steps_json);

}  // namespace omk::repl::test_fixture
