// `omk route explain "PROMPT"`: what a turn with this prompt would be — its risk and why, the
// capabilities, sandbox and approval that follow, and which runtime the router would choose,
// with every candidate's score or rejection (docs/chat.md). No model is contacted and no MCP
// server started; provider health is the offline check (a cold probe cache runs each installed
// CLI's --version, as `omk provider list` does).
#include <fmt/format.h>

#include "cli/context.h"
#include "cli/mcp_support.h"
#include "cli/stdin_input.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/output.h"
#include "providers/health_check.h"
#include "routing/turn_runner.h"

namespace omk::cli {
namespace {

// A prompt read from stdin ("-") larger than this is refused rather than routed.
constexpr size_t kMaxPromptBytes = 4 * 1024 * 1024;

struct RouteFlags {
  std::string prompt;
  std::string provider;
  std::string risk;
  std::string execution;
  bool json = false;
};

std::string matches_text(const routing::RiskAssessment& assessment) {
  if (assessment.matches.empty()) return "nothing matched: read, the least privilege";
  std::string out;
  for (const routing::RiskMatch& match : assessment.matches) {
    if (!out.empty()) out += ", ";
    out += fmt::format("\"{}\" {}{}", match.word, routing::to_string(match.risk),
                       match.negated ? " (negated)" : "");
  }
  return out;
}

std::string explanation_text(const routing::RouteExplanation& route) {
  const routing::TurnPolicy& policy = route.plan.policy;
  std::string out;
  out += fmt::format("risk:          {}", routing::to_string(policy.risk));
  if (policy.override_risk) {
    out += fmt::format(" (set explicitly; inferred {})", routing::to_string(policy.inferred));
  }
  out += "\nmatched:       " + matches_text(route.plan.assessment) + "\n";
  out += fmt::format("capabilities:  {}\n", policy.capabilities.joined());
  out += fmt::format("sandbox:       {}{}\n", sandbox::to_string(policy.sandbox),
                     policy.advisory ? " (advisory runtime: read and review only)" : "");
  out += fmt::format("approval:      {} (--execution {})\n", routing::to_string(policy.approval),
                     routing::to_string(route.execution));
  const routing::RouteDecision& decision = route.decision;
  out += fmt::format("provider:      {}\n", decision.selected ? *decision.selected : "none");
  out += fmt::format("why:           {}\n", decision.reason);
  out += "candidates:\n";
  for (const routing::CandidateScore& candidate : decision.candidates) {
    if (candidate.eligible) {
      out += fmt::format(
          "  {:<18} {:.3f}  (quality {:.2f}, pass {:.2f}, {} pass {:.2f}, "
          "penalty {:.2f}, {} turns)\n",
          candidate.id, candidate.score, candidate.quality, candidate.pass_rate,
          routing::to_string(policy.risk), candidate.risk_pass_rate, candidate.failure_penalty,
          candidate.history_turns);
    } else {
      out += fmt::format("  {:<18} -      {}\n", candidate.id, candidate.rejected_reason);
    }
  }
  if (route.injection) {
    const routing::CapabilityInjection& injection = *route.injection;
    auto list = [](const std::vector<std::string>& names) {
      return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
    };
    out += fmt::format("MCP servers:   {}\nskills:        {}\nhooks:         {}\n",
                       list(injection.mcp_servers), list(injection.skills), list(injection.hooks));
    for (const std::string& dropped : injection.dropped) out += "left out:      " + dropped + "\n";
    if (injection.blocked) out += "blocked:       " + *injection.blocked + "\n";
  }
  return out;
}

int run_route_explain(RouteFlags flags, const Context& context) {
  if (flags.prompt == "-") {
    std::optional<std::string> text = read_stdin(kMaxPromptBytes);
    if (!text) {
      throw usage_error(fmt::format("the prompt on stdin is larger than {} MiB",
                                    kMaxPromptBytes / (1024 * 1024)));
    }
    flags.prompt = std::move(*text);
  }
  routing::TurnAsk ask;
  ask.user_text = flags.prompt;
  ask.provider = flags.provider;
  if (!flags.risk.empty() && flags.risk != "auto") {
    ask.risk_override = routing::parse_risk(flags.risk);
    if (!ask.risk_override) {
      throw usage_error(
          fmt::format("--risk \"{}\": use read, write, shell, merge or auto", flags.risk));
    }
  }
  if (!flags.execution.empty()) {
    ask.execution = routing::parse_execution(flags.execution);
    if (!ask.execution) {
      throw usage_error(fmt::format("--execution \"{}\": use ask, auto or never", flags.execution));
    }
  }

  McpSetting setting = load_mcp_setting(context);
  mcp::ToolPlaneInventory inventory = mcp::build_inventory(setting.query);
  providers::ProviderContext providers_context =
      providers::ProviderContext::make(setting.root.path, setting.config, context.env);
  routing::TurnEnvironment environment;
  environment.context = &providers_context;
  environment.statuses = providers::check_providers(providers_context);
  environment.inventory = &inventory;
  environment.grants = setting.query.grants;
  // The history is read when it exists; explaining a route never creates it.
  std::optional<routing::EvidenceHistory> history;
  std::filesystem::path history_path = routing::EvidenceHistory::default_path(setting.root.path);
  if (std::filesystem::exists(history_path)) {
    history.emplace(history_path);
    environment.history = &*history;
  }

  routing::RouteExplanation route = routing::explain_route(environment, ask);
  if (flags.json) {
    Json document = json_envelope("route");
    Json body = routing::route_json(route);
    for (auto& [key, value] : body.items()) document[key] = value;
    print_json(document);
  } else {
    print_out(explanation_text(route));
  }
  return route.decision.selected ? 0 : to_int(ExitCode::kNoProvider);
}

}  // namespace

void register_route_command(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("route", "How omk would route a turn (docs/chat.md)");
  group->require_subcommand(1);
  auto flags = std::make_shared<RouteFlags>();
  auto* explain = group->add_subcommand(
      "explain",
      "The risk of PROMPT and why, its capabilities, sandbox and approval, and the runtime the "
      "router would choose with every candidate's score or rejection. Contacts no model; exit 4 "
      "when no runtime qualifies");
  explain->add_option("prompt", flags->prompt, "The prompt, or - to read it from stdin")
      ->required();
  explain->add_option("--provider", flags->provider,
                      "auto (default: [runtime] provider), authority, or a provider id");
  explain->add_option("--risk", flags->risk,
                      "Set the risk instead of inferring it: read, write, "
                      "shell, merge (auto: infer)");
  explain->add_option("--execution", flags->execution,
                      "ask, auto or never (default: [runtime] execution)");
  explain->add_flag("--json", flags->json, "Print one omk.route.v1 JSON document");
  explain->callback([&context, flags] {
    context.action = [&context, flags] { return run_route_explain(*flags, context); };
  });
}

}  // namespace omk::cli
