#include "provider_fixture.h"

#include <sys/stat.h>

#include <cstdlib>

#include "mcp_peers.h"

namespace omk::providers::test_fixture {
namespace fs = std::filesystem;

Project::Project() {
  fs::create_directories(root / ".omk");
  fs::create_directories(home);
  fs::create_directories(bin);
  omk::test::git_init(root);
  env["HOME"] = home.string();
  env["PATH"] = bin.string() + ":/usr/bin:/bin";
  env["XDG_CACHE_HOME"] = cache.string();
  env["LANG"] = "C.UTF-8";
  if (const char* tmpdir = std::getenv("TMPDIR")) env["TMPDIR"] = tmpdir;
}

void Project::config(const std::string& toml) {
  omk::test::write_text(root / ".omk" / "config.toml", toml);
}

ProviderContext Project::context() const {
  return ProviderContext::make(root, load_config(root, env), env);
}

void Project::fake_binary(const std::string& name, const std::string& script) {
  fs::path path = bin / name;
  omk::test::write_text(path, "#!/bin/sh\n" + script);
  ::chmod(path.c_str(), 0755);
}

std::string peers_path() {
  fs::path bin = omk::test::peers_dir() / ".bin";
  if (!fs::exists(bin / "codex")) return "";
  return (omk::test::node22_dir()).string() + ":" + bin.string() + ":/usr/bin:/bin";
}

}  // namespace omk::providers::test_fixture
