// Code that runs code: downloaded or decoded scripts fed to a shell or interpreter, code only
// known at run time, interpreter one-liners, privilege escalation.

#include <algorithm>
#include <array>

#include "safety/guard_programs.h"
#include "safety/guard_rules.h"
#include "safety/guard_rules_impl.h"
#include "safety/guard_walk.h"

namespace omk::guard {
namespace rules {
namespace {

bool from_network(const Invocation& other) {
  return is_network_fetch(other);
}

bool from_decoder(const Invocation& other) {
  return is_decoder(other);
}

// eval "$(ssh-agent -s)" and friends print shell set-up code; running it is their purpose.
bool is_setup_tool(const Invocation& other) {
  static constexpr std::array<std::string_view, 17> kTools = {
      "ssh-agent", "direnv", "pyenv", "rbenv", "nodenv", "brew",    "starship",  "conda",    "fnm",
      "zoxide",    "mise",   "rtx",   "asdf",  "opam",   "thefuck", "dircolors", "gpg-agent"};
  return std::find(kTools.begin(), kTools.end(), other.program) != kTools.end();
}

// Where code fed on stdin comes from: earlier pipeline stages, a here-doc or here-string.
std::vector<size_t> stdin_sources(const Judge& judge) {
  std::vector<size_t> ids;
  const auto& all = judge.analysis.invocations;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].pipe_id == judge.invocation.pipe_id && all[i].stage < judge.invocation.stage) {
      ids.push_back(i);
    }
  }
  for (const auto& redirect : judge.invocation.redirects) {
    ids.insert(ids.end(), redirect.produced_by.begin(), redirect.produced_by.end());
  }
  return ids;
}

bool downloaded_earlier(const Judge& judge, const Arg& file) {
  if (file.dynamic) return false;
  std::string path = resolve_path(judge.invocation.cwd, file.text);
  const auto& downloaded = judge.invocation.downloaded;
  return !path.empty() && std::find(downloaded.begin(), downloaded.end(), path) != downloaded.end();
}

// Judges code whose origin is `sources`; returns true when a finding was added.
bool judge_origin(const Judge& judge, const std::vector<size_t>& sources, const std::string& via) {
  if (sources.empty()) return false;
  if (judge.any_of(sources, from_network)) {
    judge.add(Decision::kDeny, "remote-code",
              via + " runs code fetched from the network; download it, read it, then run the file");
    return true;
  }
  if (judge.any_of(sources, from_decoder)) {
    judge.add(Decision::kDeny, "decoded-code",
              via + " runs code that is decoded or unscrambled first, which hides what it does");
    return true;
  }
  return false;
}

std::optional<std::string> stdin_text(const Judge& judge) {
  for (const auto& redirect : judge.invocation.redirects) {
    if (redirect.input_text) return redirect.input_text;
  }
  for (const Invocation* other : judge.upstream()) {
    if (other->stage + 1 == judge.invocation.stage) {
      if (auto output = static_output(*other)) return output;
    }
  }
  return std::nullopt;
}

void add_inline_findings(const Judge& judge, Language language, std::string_view code) {
  for (auto& reason : judge_inline_code(language, code, judge.context, judge.invocation.cwd)) {
    judge.add(reason.decision, reason.rule, reason.message, reason.path);
  }
}

void judge_unwrapped(const Judge& judge, const Unwrapped& inner) {
  const Invocation& inv = judge.invocation;
  switch (inner.kind) {
    case Unwrapped::Kind::kArgv:
    case Unwrapped::Kind::kScript:
      return;  // the walker followed it; its invocations are judged on their own
    case Unwrapped::Kind::kStdinCode: {
      if (judge_origin(judge, stdin_sources(judge), inner.via)) return;
      for (const auto& redirect : inv.redirects) {
        if (redirect.op == "<" && downloaded_earlier(judge, redirect.target)) {
          judge.add(Decision::kDeny, "remote-code",
                    inner.via + " runs " + redirect.target.text + ", downloaded earlier");
          return;
        }
      }
      if (inner.language != Language::kShell) {
        if (auto text = stdin_text(judge)) add_inline_findings(judge, inner.language, *text);
      }
      return;
    }
    case Unwrapped::Kind::kDynamicCode: {
      if (judge_origin(judge, inner.word.produced_by, inner.via)) return;
      bool setup =
          !inner.word.produced_by.empty() &&
          std::all_of(inner.word.produced_by.begin(), inner.word.produced_by.end(),
                      [&](size_t id) { return is_setup_tool(judge.analysis.invocations[id]); });
      if (!setup) {
        judge.add(Decision::kAsk, "dynamic-code",
                  inner.via + " runs code known only at run time (" + inner.word.text + ")");
      }
      return;
    }
    case Unwrapped::Kind::kCodeFile: {
      if (judge_origin(judge, inner.word.produced_by, inner.via)) return;
      if (inner.word.text == "/dev/stdin" || inner.word.text == "-") {
        judge_origin(judge, stdin_sources(judge), inner.via);
        return;
      }
      if (downloaded_earlier(judge, inner.word)) {
        judge.add(Decision::kDeny, "remote-code",
                  inner.via + " runs " + inner.word.text + ", downloaded earlier in this command");
      }
      return;
    }
    case Unwrapped::Kind::kInlineCode: {
      if (judge_origin(judge, inner.word.produced_by, inner.via)) return;
      if (inner.word.dynamic) {
        judge.add(Decision::kAsk, "dynamic-code",
                  inner.via + " runs code known only at run time (" + inner.word.text + ")");
        return;
      }
      add_inline_findings(judge, inner.language, inner.code);
      return;
    }
  }
}

}  // namespace

void judge_exec(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  if (inv.argv.empty()) return;
  const std::string& program = inv.program;
  if (program == "sudo" || program == "doas" || program == "su" || program == "pkexec" ||
      program == "runuser" || program == "sudoedit") {
    judge.add(Decision::kAsk, "sudo", program + " runs a command with another user's privileges");
  }
  if (inv.program_dynamic()) {
    if (inv.speculative) return;  // the code around it is judged as dynamic already
    judge_origin(judge, inv.argv.front().produced_by, "the command");
    bool decided = std::any_of(judge.out.begin(), judge.out.end(), [](const Reason& reason) {
      return reason.rule == "remote-code" || reason.rule == "decoded-code";
    });
    if (!decided) {
      judge.add(Decision::kAsk, "dynamic-command",
                "the program to run is known only at run time (" + inv.argv.front().text + ")");
    }
    return;
  }
  if (downloaded_earlier(judge, inv.argv.front()) &&
      inv.argv.front().text.find('/') != std::string::npos) {
    judge.add(Decision::kDeny, "remote-code",
              "runs " + inv.argv.front().text + ", downloaded earlier in this command");
  }
  for (const Unwrapped& inner : unwrap(inv)) judge_unwrapped(judge, inner);
}

}  // namespace rules
}  // namespace omk::guard
