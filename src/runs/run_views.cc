#include "runs/run_views.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <system_error>

#include "core/error.h"
#include "runs/digest.h"

namespace omk::runs {
namespace fs = std::filesystem;
namespace {

std::string string_or(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json counts_json(const RunState& state) {
  Json json = Json::object();
  for (const auto& [node_state, count] : state.counts()) {
    json[std::string(to_string(node_state))] = count;
  }
  return json;
}

// The recorded spec's node, for what inspect may show of it (never the prompt itself).
const Json* spec_node(const Json& manifest, const std::string& id) {
  auto spec = manifest.find("spec");
  if (spec == manifest.end() || !spec->contains("nodes")) return nullptr;
  for (const auto& node : (*spec)["nodes"]) {
    if (node.value("id", "") == id) return &node;
  }
  return nullptr;
}

Json artifacts_json(const fs::path& dir) {
  Json list = Json::array();
  std::error_code ec;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().filename() != "lock") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    list.push_back({{"path", fs::relative(file, dir).string()},
                    {"bytes", static_cast<int64_t>(fs::file_size(file, ec))},
                    {"sha256", sha256_file_digest(file).value_or("")}});
  }
  return list;
}

Json node_json(const NodeRecord& node, const Json& manifest, const fs::path& run_dir,
               bool detailed) {
  Json json = to_json(node);
  if (const Json* spec = spec_node(manifest, node.id)) {
    if (spec->contains("prompt")) {
      json["prompt_sha256"] = sha256_digest(spec->value("prompt", ""));
    }
    if (spec->contains("run")) json["run"] = (*spec)["run"];
    json["depends_on"] = spec->value("depends_on", Json::array());
  }
  fs::path lane = run_dir / "lanes" / node.id;
  Json logs = Json::object();
  for (const char* stream : {"stdout", "stderr"}) {
    fs::path file = lane / (std::string(stream) + ".log");
    std::error_code ec;
    if (!fs::exists(file, ec)) continue;
    Json log = {{"path", fs::relative(file, run_dir).string()},
                {"bytes", static_cast<int64_t>(fs::file_size(file, ec))}};
    if (detailed) log["tail"] = log_tail(file, 20);
    logs[stream] = log;
  }
  json["logs"] = logs;
  return json;
}

}  // namespace

std::string log_tail(const fs::path& path, int lines) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  std::streamoff start = std::max<std::streamoff>(0, size - 64 * 1024);
  in.seekg(start);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t at = text.size();
  if (at > 0 && text[at - 1] == '\n') --at;
  for (int seen = 0; at > 0; --at) {
    if (text[at - 1] == '\n' && ++seen == lines) break;
  }
  return text.substr(at);
}

Json inspect_run(const RunStore& store, const std::string& run_id,
                 const std::optional<std::string>& node, bool with_tails) {
  Json manifest = store.load_manifest(run_id);
  RunState state = store.load_state(run_id);
  fs::path dir = store.run_dir(run_id);
  if (node && !state.find(*node)) {
    throw usage_error("run " + run_id + " has no node '" + *node + "' (see `omk inspect " + run_id +
                      "`)");
  }
  Json document = json_envelope("inspect");
  Json run = Json::object();
  run["id"] = run_id;
  run["status"] = to_string(store.effective_status(run_id, manifest, state));
  run["goal"] = string_or(manifest, "goal");
  run["started_at"] = string_or(manifest, "started_at");
  run["finished_at"] = manifest.value("finished_at", Json(nullptr));
  run["omk_version"] = string_or(manifest, "omk_version");
  run["spec_source"] = string_or(manifest, "spec_source");
  run["spec_hash"] = string_or(manifest, "spec_hash");
  run["base_commit"] = manifest.value("base_commit", Json(nullptr));
  run["policy"] = manifest.value("policy", Json::object());
  if (manifest.contains("replay_of")) run["replay_of"] = manifest["replay_of"];
  document["run"] = run;
  document["nodes_by_state"] = counts_json(state);
  Json nodes = Json::array();
  for (const auto& record : state.nodes) {
    if (node && record.id != *node) continue;
    nodes.push_back(node_json(record, manifest, dir, with_tails || node.has_value()));
  }
  document["nodes"] = nodes;
  auto evidence = store.load_evidence(run_id);
  int passed = static_cast<int>(std::count_if(
      evidence.begin(), evidence.end(), [](const Json& e) { return e.value("passed", false); }));
  document["evidence"] = {{"results", evidence.size()},
                          {"passed", passed},
                          {"failed", static_cast<int>(evidence.size()) - passed}};
  document["decisions"] = store.load_decisions(run_id).size();
  document["artifacts"] = artifacts_json(dir);
  return document;
}

Json diff_runs(const RunStore& store, const std::string& a, const std::string& b) {
  Json manifest_a = store.load_manifest(a), manifest_b = store.load_manifest(b);
  RunState state_a = store.load_state(a), state_b = store.load_state(b);
  Json document = json_envelope("diff-runs");
  auto side = [&](const std::string& id, const Json& manifest, const RunState& state) {
    return Json{{"id", id},
                {"status", std::string(to_string(store.effective_status(id, manifest, state)))},
                {"spec_hash", string_or(manifest, "spec_hash")},
                {"base_commit", manifest.value("base_commit", Json(nullptr))}};
  };
  document["a"] = side(a, manifest_a, state_a);
  document["b"] = side(b, manifest_b, state_b);
  document["same_spec"] = document["a"]["spec_hash"] == document["b"]["spec_hash"];
  document["same_base_commit"] = document["a"]["base_commit"] == document["b"]["base_commit"];

  std::vector<std::string> ids;
  for (const auto& node : state_a.nodes) ids.push_back(node.id);
  for (const auto& node : state_b.nodes) {
    if (!state_a.find(node.id)) ids.push_back(node.id);
  }
  Json nodes = Json::array();
  int differing = 0;
  for (const auto& id : ids) {
    const NodeRecord* na = state_a.find(id);
    const NodeRecord* nb = state_b.find(id);
    auto pick = [](const NodeRecord* node, auto get) -> Json {
      return node ? Json(get(*node)) : Json(nullptr);
    };
    Json entry = {{"id", id}};
    entry["state"] = {
        {"a", pick(na, [](const NodeRecord& n) { return std::string(to_string(n.state)); })},
        {"b", pick(nb, [](const NodeRecord& n) { return std::string(to_string(n.state)); })}};
    auto provider_of = [](const NodeRecord& n) {
      return n.attempts.empty() ? std::string() : n.attempts.back().provider;
    };
    entry["provider"] = {{"a", pick(na, provider_of)}, {"b", pick(nb, provider_of)}};
    auto attempts_of = [](const NodeRecord& n) { return static_cast<int>(n.attempts.size()); };
    entry["attempts"] = {{"a", pick(na, attempts_of)}, {"b", pick(nb, attempts_of)}};
    // The last attempt's gates, by position in the node's evidence list.
    std::map<int, std::pair<Json, Json>> gates;
    std::map<int, std::string> gate_names;
    auto collect = [&](const NodeRecord* node, bool first) {
      if (!node || node->attempts.empty()) return;
      for (const auto& gate : node->attempts.back().gates) {
        gate_names[gate.index] = gate.gate;
        (first ? gates[gate.index].first : gates[gate.index].second) = gate.passed;
      }
    };
    collect(na, true);
    collect(nb, false);
    Json gate_list = Json::array();
    bool gates_differ = false;
    for (const auto& [index, results] : gates) {
      gates_differ = gates_differ || results.first != results.second;
      gate_list.push_back({{"index", index},
                           {"gate", gate_names[index]},
                           {"a", results.first.is_null() ? Json(nullptr) : results.first},
                           {"b", results.second.is_null() ? Json(nullptr) : results.second}});
    }
    entry["gates"] = gate_list;
    std::set<std::string> files_a, files_b;
    if (na) files_a.insert(na->files_changed.begin(), na->files_changed.end());
    if (nb) files_b.insert(nb->files_changed.begin(), nb->files_changed.end());
    Json only_a = Json::array(), only_b = Json::array();
    for (const auto& f : files_a) {
      if (!files_b.count(f)) only_a.push_back(f);
    }
    for (const auto& f : files_b) {
      if (!files_a.count(f)) only_b.push_back(f);
    }
    entry["files_changed"] = {
        {"a", files_a.size()}, {"b", files_b.size()}, {"only_a", only_a}, {"only_b", only_b}};
    bool differs = entry["state"]["a"] != entry["state"]["b"] ||
                   entry["provider"]["a"] != entry["provider"]["b"] || gates_differ ||
                   !only_a.empty() || !only_b.empty();
    entry["differs"] = differs;
    if (differs) ++differing;
    nodes.push_back(entry);
  }
  document["nodes"] = nodes;
  document["differing_nodes"] = differing;
  return document;
}

}  // namespace omk::runs
