#include "sandbox/enforcement.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace omk::sandbox {

std::vector<std::string> Enforcement::missing() const {
  std::vector<std::string> result;
  for (const LayerStatus& layer : layers) {
    if (layer.wanted && !layer.enforced) result.push_back(layer.name + ": " + layer.detail);
  }
  return result;
}

LayerStatus* Enforcement::layer(const std::string& name) {
  for (auto& entry : layers) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

const LayerStatus* Enforcement::layer(const std::string& name) const {
  return const_cast<Enforcement*>(this)->layer(name);
}

std::string Enforcement::summary() const {
  std::string text(to_string(profile));
  if (!delegated_to.empty()) {
    return text + fmt::format(
                      ": delegated to {}'s own sandbox (omk applies only the environment, "
                      "the private HOME and TMPDIR)",
                      delegated_to);
  }
  if (profile == Profile::kFullAccess) return text + ": no sandbox (explicit full access)";
  text += network_allowed ? ", network allowed" : ", network off";
  std::vector<std::string> on;
  for (const LayerStatus& layer : layers) {
    if (layer.wanted && layer.enforced) on.push_back(layer.name);
  }
  text += fmt::format(": {}", fmt::join(on, ", "));
  auto absent = missing();
  if (!absent.empty()) text += fmt::format("; MISSING: {}", fmt::join(absent, "; "));
  return text;
}

Json to_json(const Enforcement& enforcement) {
  Json layers = Json::object();
  for (const LayerStatus& layer : enforcement.layers) {
    layers[layer.name] = {
        {"wanted", layer.wanted}, {"enforced", layer.enforced}, {"detail", layer.detail}};
  }
  Json json = {
      {"profile", to_string(enforcement.profile)},
      {"complete", enforcement.complete()},
      {"network", enforcement.network_allowed ? "allowed" : "off"},
      {"network_blocked_by", enforcement.network_blocked_by},
  };
  if (!enforcement.delegated_to.empty()) json["delegated_to"] = enforcement.delegated_to;
  json["layers"] = layers;
  json["writable"] = enforcement.writable;
  json["readable"] = enforcement.readable;
  json["protected_paths"] = enforcement.protected_paths;
  json["home"] = enforcement.home.string();
  json["tmpdir"] = enforcement.tmpdir.string();
  json["missing"] = enforcement.missing();
  json["notes"] = enforcement.notes;
  return json;
}

}  // namespace omk::sandbox
