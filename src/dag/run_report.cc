#include "dag/run_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "dag/graph.h"
#include "dag/spec_view.h"
#include "dag/tool_process.h"

namespace omk::dag {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

runs::NodeState state_of(const runs::RunState& state, const std::string& id) {
  const auto* record = state.find(id);
  return record ? record->state : runs::NodeState::kPending;
}

std::string text_of(const Json& json, const char* key) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::string dag_svg_builtin(const DagSpec& spec, const runs::RunState& state) {
  Graph graph = build_graph(spec);
  const size_t n = spec.nodes.size();
  // Layer = longest path from a root; order within a layer by the mean position of the nodes
  // it depends on (one barycentre pass keeps most edges from crossing).
  std::vector<int> layer(n, 0);
  for (int node : graph.topological) {
    for (int dep : graph.deps[static_cast<size_t>(node)]) {
      layer[static_cast<size_t>(node)] =
          std::max(layer[static_cast<size_t>(node)], layer[static_cast<size_t>(dep)] + 1);
    }
  }
  int layers = n == 0 ? 0 : *std::max_element(layer.begin(), layer.end()) + 1;
  std::vector<std::vector<int>> columns(static_cast<size_t>(layers));
  std::vector<double> row(n, 0);
  for (int node : graph.topological)
    columns[static_cast<size_t>(layer[static_cast<size_t>(node)])].push_back(node);
  for (auto& column : columns) {
    std::vector<std::pair<double, int>> keyed;
    for (int node : column) {
      const auto& deps = graph.deps[static_cast<size_t>(node)];
      double key = static_cast<double>(node) * 1e-6;
      if (!deps.empty()) {
        double sum = 0;
        for (int dep : deps) sum += row[static_cast<size_t>(dep)];
        key += sum / static_cast<double>(deps.size());
      }
      keyed.emplace_back(key, node);
    }
    std::stable_sort(keyed.begin(), keyed.end());
    column.clear();
    for (size_t i = 0; i < keyed.size(); ++i) {
      column.push_back(keyed[i].second);
      row[static_cast<size_t>(keyed[i].second)] = static_cast<double>(i);
    }
  }
  constexpr int kWidth = 170, kHeight = 46, kGapX = 60, kGapY = 18, kMargin = 12;
  size_t tallest = 0;
  for (const auto& column : columns) tallest = std::max(tallest, column.size());
  int width = kMargin * 2 + layers * kWidth + std::max(0, layers - 1) * kGapX;
  int height = kMargin * 2 + static_cast<int>(tallest) * (kHeight + kGapY);
  auto x_of = [&](int node) {
    return kMargin + layer[static_cast<size_t>(node)] * (kWidth + kGapX);
  };
  auto y_of = [&](int node) {
    return kMargin + static_cast<int>(row[static_cast<size_t>(node)]) * (kHeight + kGapY);
  };
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      width, height);
  for (size_t i = 0; i < n; ++i) {
    for (int dep : graph.deps[i]) {
      int x1 = x_of(dep) + kWidth, y1 = y_of(dep) + kHeight / 2;
      int x2 = x_of(static_cast<int>(i)), y2 = y_of(static_cast<int>(i)) + kHeight / 2;
      svg += fmt::format(
          "  <path d=\"M{} {} C{} {} {} {} {} {}\" fill=\"none\" stroke=\"#666\" "
          "marker-end=\"url(#arrow)\"/>\n",
          x1, y1, x1 + kGapX / 2, y1, x2 - kGapX / 2, y2, x2 - 2, y2);
    }
  }
  svg +=
      "  <defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" "
      "orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#666\"/></marker></defs>\n";
  for (size_t i = 0; i < n; ++i) {
    const auto& node = spec.nodes[i];
    runs::NodeState node_state = state_of(state, node.id);
    int x = x_of(static_cast<int>(i)), y = y_of(static_cast<int>(i));
    svg += fmt::format(
        "  <g class=\"node\" id=\"node-{0}\"><rect x=\"{1}\" y=\"{2}\" width=\"{3}\" "
        "height=\"{4}\" rx=\"6\" fill=\"{5}\" stroke=\"#333\"{6}/>\n"
        "    <text x=\"{7}\" y=\"{8}\" font-weight=\"bold\">{0}</text>\n"
        "    <text x=\"{7}\" y=\"{9}\">{10} · {11}</text></g>\n",
        escape(node.id), x, y, kWidth, kHeight, state_colour(node_state),
        node.optional ? " stroke-dasharray=\"4 3\"" : "", x + 8, y + 18, y + 35,
        to_string(node.kind), runs::to_string(node_state));
  }
  return svg + "</svg>\n";
}

std::string dag_svg(const DagSpec& spec, const runs::RunState& state) {
  ToolRun run;
  run.argv = {"dot", "-Tsvg"};
  run.stdin_data = spec_as_dot(spec, &state);
  run.timeout_ms = 30000;
  ToolResult result = run_tool(run);
  if (result.ok()) {
    auto start = result.out.find("<svg");
    if (start != std::string::npos) return result.out.substr(start);
  }
  return dag_svg_builtin(spec, state);
}

std::string html_report(const Json& inspect, const DagSpec& spec, const runs::RunState& state) {
  const Json& run = inspect["run"];
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<title>omk run {0}</title>\n<style>\n"
      "body{{font-family:sans-serif;margin:2em;color:#222}} table{{border-collapse:collapse}}\n"
      "td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}\n"
      "pre{{background:#f6f6f6;padding:8px;overflow-x:auto;max-height:24em}}\n"
      ".pass{{color:#1b7f3b}} .fail{{color:#b3261e}} section{{margin-top:1.5em}}\n"
      "</style></head><body>\n<h1>omk run {0}</h1>\n",
      escape(text_of(run, "id")));
  html += "<table>\n";
  for (const char* key : {"status", "goal", "started_at", "finished_at", "spec_source", "spec_hash",
                          "base_commit", "omk_version"}) {
    html += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", key, escape(text_of(run, key)));
  }
  html += "</table>\n<section><h2>Pipeline</h2>\n" + dag_svg(spec, state) + "</section>\n";
  for (const auto& node : inspect["nodes"]) {
    html += fmt::format("<section id=\"{0}\"><h2>{0} <small>({1}, {2})</small></h2>\n",
                        escape(text_of(node, "id")), escape(text_of(node, "kind")),
                        escape(text_of(node, "state")));
    if (!text_of(node, "reason").empty()) {
      html += "<p>" + escape(text_of(node, "reason")) + "</p>\n";
    }
    for (const auto& attempt : node.value("attempts", Json::array())) {
      html += fmt::format(
          "<h3>attempt {} — {}{}</h3>\n", text_of(attempt, "number"),
          escape(text_of(attempt, "outcome")),
          attempt.contains("exit_code") ? " (exit " + text_of(attempt, "exit_code") + ")" : "");
      const auto& gates = attempt.value("gates", Json::array());
      if (gates.empty()) continue;
      html += "<table><tr><th>#</th><th>gate</th><th>result</th><th>reason</th></tr>\n";
      for (const auto& gate : gates) {
        bool passed = gate.value("passed", false);
        html += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>\n",
                            text_of(gate, "index"), escape(text_of(gate, "gate")),
                            passed ? "pass" : "fail", passed ? "passed" : "failed",
                            escape(text_of(gate, "reason")));
      }
      html += "</table>\n";
    }
    for (const char* stream : {"stdout", "stderr"}) {
      const auto& logs = node.value("logs", Json::object());
      if (!logs.contains(stream)) continue;
      html +=
          fmt::format("<h3>{} (last lines of {})</h3><pre>{}</pre>\n", stream,
                      escape(text_of(logs[stream], "path")), escape(text_of(logs[stream], "tail")));
    }
    html += "</section>\n";
  }
  return html + "</body></html>\n";
}

}  // namespace omk::dag
