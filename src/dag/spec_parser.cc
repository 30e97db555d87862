#include "dag/spec_parser.h"

#include <algorithm>
#include <set>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/ids.h"
#include "dag/spec_checks.h"
#include "dag/spec_gates.h"
#include "dag/yaml_reader.h"

namespace omk::dag {
namespace {

const std::vector<std::string> kTopKeys = {"schema", "goal", "defaults", "nodes"};
const std::vector<std::string> kDefaultKeys = {"provider", "sandbox",      "network", "env",
                                               "timeout",  "max_attempts", "backoff", "worktree"};
const std::vector<std::string> kNodeKeys = {
    "id",           "name",     "kind",     "role",     "prompt",   "run",     "target",
    "depends_on",   "provider", "risk",     "sandbox",  "network",  "env",     "timeout",
    "max_attempts", "backoff",  "worktree", "optional", "priority", "evidence"};
const std::vector<std::string> kKinds = {"agent", "command", "builtin"};
const std::vector<std::string> kRisks = {"read", "write", "shell", "merge"};
const std::vector<std::string> kSandboxes = {"read-only", "workspace-write", "full-access"};
// Roles whose agent lanes only read unless told otherwise (least privilege by default).
const std::vector<std::string> kReadRoles = {"reviewer",   "planner",   "explorer",
                                             "researcher", "architect", "auditor"};

bool one_of(const std::string& value, const std::vector<std::string>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Values from `defaults:`; each is optional.
struct Inherited {
  std::optional<std::string> provider, sandbox;
  std::optional<bool> network, worktree;
  std::map<std::string, std::string> env;
  std::optional<int64_t> timeout_ms, backoff_ms;
  std::optional<int> max_attempts;
};

// The offset of the first byte that is not part of well-formed UTF-8 (no overlong forms,
// surrogates or code points past U+10FFFF), if any. YAML and JSON are Unicode text, and the
// spec is recorded as JSON, which cannot hold anything else.
std::optional<size_t> first_invalid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto byte = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
    unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                    : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                   : 0;
    if (length == 0 || i + length > text.size()) return i;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
    if (byte(i + 1) < low || byte(i + 1) > high) return i;
    for (size_t k = 2; k < length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return i;
    }
    i += length;
  }
  return std::nullopt;
}

SourceMark mark_of_offset(std::string_view text, size_t offset) {
  std::string_view before = text.substr(0, offset);
  size_t line_start = before.rfind('\n');
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  return SourceMark{static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1,
                    static_cast<int>(offset - line_start) + 1};
}

class Parser {
 public:
  Parser(const std::string& source, const SpecDefaults& defaults)
      : source_(source), defaults_(defaults) {}

  SpecResult parse(std::string_view text) {
    SpecResult result;
    if (auto bad = first_invalid_utf8(text)) {
      result.problems.push_back(
          {mark_of_offset(text, *bad), "not UTF-8 text: save the file as UTF-8"});
      return result;
    }
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& error) {
      SourceMark mark{error.mark.line >= 0 ? error.mark.line + 1 : 0,
                      error.mark.column >= 0 ? error.mark.column + 1 : 0};
      result.problems.push_back({mark, "not valid YAML or JSON: " + error.msg});
      return result;
    }
    DagSpec spec;
    spec.source = source_;
    read_top(root, spec);
    check_spec(spec, reader_);
    result.problems = reader_.problems();
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const SpecProblem& a, const SpecProblem& b) {
                       return std::tie(a.mark.line, a.mark.column) <
                              std::tie(b.mark.line, b.mark.column);
                     });
    if (result.problems.empty()) result.spec = std::move(spec);
    return result;
  }

 private:
  void read_top(const YAML::Node& root, DagSpec& spec) {
    if (!root.IsDefined() || root.IsNull()) {
      reader_.problem(SourceMark{1, 1}, "the file is empty; a pipeline needs a `nodes:` list");
      return;
    }
    std::vector<std::pair<std::string, YAML::Node>> entries;
    if (!reader_.entries(root, "the pipeline", kTopKeys, entries)) return;
    YAML::Node nodes;
    bool has_nodes = false;
    for (const auto& [key, value] : entries) {
      if (key == "schema") {
        auto schema = reader_.string(value, "schema");
        if (schema && *schema != "omk.dag.v1") {
          reader_.problem(value, "schema must be omk.dag.v1, not '" + *schema + "'");
        }
      } else if (key == "goal") {
        if (auto goal = reader_.string(value, "goal")) spec.goal = *goal;
      } else if (key == "defaults") {
        read_defaults(value);
      } else if (key == "nodes") {
        nodes = value;
        has_nodes = true;
      }
    }
    if (!has_nodes) {
      reader_.problem(root, "the pipeline has no `nodes:` list");
      return;
    }
    if (!nodes.IsSequence()) {
      reader_.problem(nodes, "`nodes` must be a list of nodes");
      return;
    }
    if (nodes.size() == 0) reader_.problem(nodes, "`nodes` is empty; add at least one node");
    for (const auto& node : nodes) {
      NodeSpec parsed;
      if (read_node(node, parsed)) spec.nodes.push_back(std::move(parsed));
    }
  }

  void read_defaults(const YAML::Node& node) {
    std::vector<std::pair<std::string, YAML::Node>> entries;
    if (!reader_.entries(node, "defaults", kDefaultKeys, entries)) return;
    for (const auto& [key, value] : entries) {
      const std::string what = "defaults " + key;
      if (key == "provider") {
        inherited_.provider = checked_choice(value, what, known_provider_names());
      } else if (key == "sandbox") {
        inherited_.sandbox = checked_choice(value, what, kSandboxes);
      } else if (key == "network") {
        inherited_.network = reader_.boolean(value, what);
      } else if (key == "worktree") {
        inherited_.worktree = reader_.boolean(value, what);
      } else if (key == "env") {
        if (auto env = reader_.string_map(value, what)) inherited_.env = *env;
      } else if (key == "timeout") {
        inherited_.timeout_ms = positive_duration(value, what);
      } else if (key == "backoff") {
        inherited_.backoff_ms = reader_.duration(value, what);
      } else if (key == "max_attempts") {
        if (auto n = reader_.integer(value, what, 1, 100))
          inherited_.max_attempts = static_cast<int>(*n);
      }
    }
  }

  std::optional<std::string> checked_choice(const YAML::Node& value, const std::string& what,
                                            const std::vector<std::string>& allowed) {
    auto text = reader_.string(value, what);
    if (!text) return std::nullopt;
    if (!one_of(*text, allowed)) {
      reader_.problem(value,
                      what + " must be one of " + join_names(allowed) + ", not '" + *text + "'");
      return std::nullopt;
    }
    return text;
  }

  std::optional<int64_t> positive_duration(const YAML::Node& value, const std::string& what) {
    auto ms = reader_.duration(value, what);
    if (ms && *ms <= 0) {
      reader_.problem(value, what + " must be longer than zero");
      return std::nullopt;
    }
    return ms;
  }

  bool read_node(const YAML::Node& node, NodeSpec& spec) {
    spec.mark = YamlReader::mark_of(node);
    std::vector<std::pair<std::string, YAML::Node>> entries;
    std::string label = "a node";
    if (node.IsMap() && node["id"] && node["id"].IsScalar()) {
      label = "node '" + node["id"].Scalar() + "'";
    }
    if (!reader_.entries(node, label, kNodeKeys, entries, &spec.field_marks)) return false;
    std::map<std::string, YAML::Node> fields(entries.begin(), entries.end());
    auto field = [&](const char* key) -> const YAML::Node* {
      auto it = fields.find(key);
      return it == fields.end() ? nullptr : &it->second;
    };
    auto what = [&](const std::string& key) { return label + " " + key; };

    if (const auto* id = field("id")) {
      if (auto text = reader_.string(*id, "node id")) {
        if (!is_valid_node_id(*text)) {
          reader_.problem(*id, "node id '" + *text +
                                   "' must match [A-Za-z0-9][A-Za-z0-9._-]* (at most 128 "
                                   "characters): ids become directory and branch names");
        }
        spec.id = *text;
        spec.field_marks["id"] = YamlReader::mark_of(*id);
      }
    } else {
      reader_.problem(node, label + " has no `id`");
    }
    if (const auto* name = field("name")) {
      if (auto text = reader_.string(*name, what("name"))) spec.name = *text;
    }
    if (spec.name.empty()) spec.name = spec.id;
    if (const auto* role = field("role")) {
      if (auto text = reader_.string(*role, what("role"))) spec.role = *text;
    }

    bool kind_known = read_kind(fields, spec, label);
    read_work(fields, spec, label, kind_known);
    read_policy(fields, spec, label, what);

    if (const auto* deps = field("depends_on")) {
      if (auto list = reader_.strings(*deps, what("depends_on"), true, &spec.depends_on_marks)) {
        std::set<std::string> seen;
        for (size_t i = 0; i < list->size(); ++i) {
          if (!seen.insert((*list)[i]).second) {
            reader_.problem(spec.depends_on_marks[i],
                            what("depends_on") + " lists '" + (*list)[i] + "' twice");
          }
        }
        spec.depends_on = *list;
      }
    }
    if (const auto* evidence = field("evidence")) {
      read_gates(*evidence, spec, label, reader_);
    }
    return true;
  }

  bool read_kind(std::map<std::string, YAML::Node>& fields, NodeSpec& spec,
                 const std::string& label) {
    auto it = fields.find("kind");
    if (it != fields.end()) {
      auto kind = checked_choice(it->second, label + " kind", kKinds);
      if (!kind) return false;
      spec.kind = *kind == "agent"     ? NodeKind::kAgent
                  : *kind == "builtin" ? NodeKind::kBuiltin
                                       : NodeKind::kCommand;
      return true;
    }
    bool has_prompt = fields.count("prompt") != 0;
    bool has_run = fields.count("run") != 0;
    if (has_prompt == has_run) {
      reader_.problem(spec.mark, label + " needs `kind:` (agent, command or builtin)");
      return false;
    }
    spec.kind = has_prompt ? NodeKind::kAgent : NodeKind::kCommand;
    return true;
  }

  void read_work(std::map<std::string, YAML::Node>& fields, NodeSpec& spec,
                 const std::string& label, bool kind_known) {
    auto field = [&](const char* key) -> const YAML::Node* {
      auto it = fields.find(key);
      return it == fields.end() ? nullptr : &it->second;
    };
    auto only_for = [&](const char* key, const std::string& kinds, const std::string& hint) {
      if (const auto* value = field(key)) {
        reader_.problem(*value, label + " is a " + std::string(to_string(spec.kind)) + " lane: `" +
                                    key + "` is only for " + kinds + " lanes" + hint);
      }
    };
    if (!kind_known) return;
    switch (spec.kind) {
      case NodeKind::kAgent:
        if (const auto* prompt = field("prompt")) {
          if (auto text = reader_.string(*prompt, label + " prompt")) {
            if (text->empty()) reader_.problem(*prompt, label + " prompt is empty");
            spec.prompt = *text;
          }
        } else {
          reader_.problem(spec.mark, label + " is an agent lane and needs a `prompt`");
        }
        only_for("run", "command and builtin", " (agent lanes take a `prompt`)");
        only_for("target", "builtin", "");
        break;
      case NodeKind::kCommand:
        if (const auto* run = field("run")) {
          if (auto command = reader_.command(*run, label + " run")) spec.run = *command;
        } else {
          reader_.problem(spec.mark, label + " is a command lane and needs `run`");
        }
        only_for("prompt", "agent", "");
        only_for("provider", "agent", "");
        only_for("target", "builtin", "");
        break;
      case NodeKind::kBuiltin:
        if (const auto* run = field("run")) {
          if (auto name = reader_.string(*run, label + " run")) {
            if (!one_of(*name, builtin_names())) {
              reader_.problem(*run, label + " run must name a builtin check (" +
                                        join_names(builtin_names()) + "), not '" + *name + "'");
            }
            spec.builtin = *name;
          }
        } else {
          reader_.problem(spec.mark, label + " is a builtin lane and needs `run: " +
                                         builtin_names().front() + "` (or another builtin)");
        }
        if (const auto* target = field("target")) {
          if (auto text = reader_.string(*target, label + " target")) spec.target = *text;
          spec.field_marks["target"] = YamlReader::mark_of(*target);
        }
        only_for("prompt", "agent", "");
        only_for("provider", "agent", "");
        break;
    }
  }

  template <typename What>
  void read_policy(std::map<std::string, YAML::Node>& fields, NodeSpec& spec,
                   const std::string& label, What what) {
    auto field = [&](const char* key) -> const YAML::Node* {
      auto it = fields.find(key);
      return it == fields.end() ? nullptr : &it->second;
    };
    const bool agent = spec.kind == NodeKind::kAgent;
    if (agent) {
      spec.provider = inherited_.provider.value_or("auto");
      if (const auto* provider = field("provider")) {
        if (auto text = checked_choice(*provider, what("provider"), known_provider_names())) {
          spec.provider = *text;
        }
      }
    }
    // Least privilege unless the node says otherwise.
    spec.risk = agent ? (one_of(spec.role, kReadRoles) ? "read" : "write")
                      : (spec.kind == NodeKind::kBuiltin ? "read" : "shell");
    if (const auto* risk = field("risk")) {
      if (auto text = checked_choice(*risk, what("risk"), kRisks)) spec.risk = *text;
    }
    spec.sandbox =
        spec.risk == "read" ? "read-only" : inherited_.sandbox.value_or("workspace-write");
    if (const auto* sandbox = field("sandbox")) {
      if (auto text = checked_choice(*sandbox, what("sandbox"), kSandboxes)) spec.sandbox = *text;
    }
    spec.network = inherited_.network.value_or(false);
    if (const auto* network = field("network")) {
      if (auto value = reader_.boolean(*network, what("network"))) spec.network = *value;
    }
    spec.env = inherited_.env;
    if (const auto* env = field("env")) {
      if (auto map = reader_.string_map(*env, what("env"))) {
        for (const auto& [name, value] : *map) spec.env[name] = value;
      }
    }
    spec.timeout_ms = inherited_.timeout_ms.value_or(agent ? defaults_.agent_timeout_ms
                                                           : defaults_.lane_timeout_ms);
    if (const auto* timeout = field("timeout")) {
      if (auto ms = positive_duration(*timeout, what("timeout"))) spec.timeout_ms = *ms;
    }
    spec.max_attempts = inherited_.max_attempts.value_or(1);
    if (const auto* attempts = field("max_attempts")) {
      if (auto n = reader_.integer(*attempts, what("max_attempts"), 1, 100)) {
        spec.max_attempts = static_cast<int>(*n);
      }
    }
    spec.backoff_ms = inherited_.backoff_ms.value_or(defaults_.backoff_ms);
    if (const auto* backoff = field("backoff")) {
      if (auto ms = reader_.duration(*backoff, what("backoff"))) spec.backoff_ms = *ms;
    }
    if (const auto* optional = field("optional")) {
      if (auto value = reader_.boolean(*optional, what("optional"))) spec.optional = *value;
    }
    if (const auto* priority = field("priority")) {
      if (auto n = reader_.integer(*priority, what("priority"), -1000, 1000)) {
        spec.priority = static_cast<int>(*n);
      }
    }
    // Write-capable agent lanes get a worktree by default; commands run in the project.
    spec.worktree = spec.kind == NodeKind::kAgent && spec.write_capable();
    if (inherited_.worktree && spec.kind != NodeKind::kBuiltin)
      spec.worktree = *inherited_.worktree;
    if (const auto* worktree = field("worktree")) {
      if (auto value = reader_.boolean(*worktree, what("worktree"))) {
        if (*value && spec.kind == NodeKind::kBuiltin) {
          reader_.problem(*worktree, label +
                                         " is a builtin lane: it changes no files and gets "
                                         "no worktree");
        }
        spec.worktree = *value;
      }
    }
  }

  std::string source_;
  SpecDefaults defaults_;
  YamlReader reader_;
  Inherited inherited_;
};

}  // namespace

SpecResult read_spec(std::string_view text, const std::string& source,
                     const SpecDefaults& defaults) {
  Parser parser(source, defaults);
  return parser.parse(text);
}

SpecResult read_spec_file(const std::filesystem::path& path, const std::string& display_name,
                          const SpecDefaults& defaults) {
  auto text = read_file_if_exists(path);
  if (!text) {
    throw usage_error("pipeline file not found: " + display_name +
                      " (give the path of a YAML or JSON pipeline; see docs/runs.md)");
  }
  return read_spec(*text, display_name, defaults);
}

DagSpec require_valid(const SpecResult& result, const std::string& source) {
  if (result.spec) return *result.spec;
  std::string message = source + " is not a valid pipeline (" +
                        std::to_string(result.problems.size()) + " problem" +
                        (result.problems.size() == 1 ? "" : "s") + "):";
  for (const auto& problem : result.problems) message += "\n  " + format_problem(source, problem);
  throw usage_error(message);
}

}  // namespace omk::dag
