#include "corpus_fixture.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <stdlib.h>

#include <stdexcept>
#include <vector>

namespace omk::sandbox::test_fixture {
namespace fs = std::filesystem;

namespace {

int listen_tcp_loopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot start the loopback TCP server");
  }
  port = ntohs(address.sin_port);
  return fd;
}

int listen_unix(const std::string& name, bool abstract) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  size_t offset = abstract ? 1 : 0;
  name.copy(address.sun_path + offset, sizeof address.sun_path - 1 - offset);
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset + name.size() +
                                            (abstract ? 0 : 1));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd, 16) != 0) {
    throw std::runtime_error("cannot start the Unix socket server " + name);
  }
  return fd;
}

std::string run_or_throw(const std::vector<std::string>& argv, const fs::path& cwd) {
  omk::test::CommandOptions options;
  options.argv = argv;
  options.cwd = cwd;
  auto result = omk::test::run_command(options);
  if (result.exit_code != 0) throw std::runtime_error(argv[0] + " failed: " + result.err);
  return result.out;
}

}  // namespace

CorpusFixture::CorpusFixture(const fs::path& base) {
  fs::create_directories(base);
  std::string pattern = (base / "omk-corpus-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed under " + base.string());
  root_ = fs::canonical(buffer.data());
  secret_ = "omk-corpus-secret-" + std::to_string(::getpid());
  workspace_ = root_ / "ws";
  home_ = root_ / "home";
  outside_ = root_ / "outside";
  case_dir_ = workspace_ / "case";
  omk::test::write_text(home_ / ".ssh" / "id_rsa", "-----BEGIN PRIVATE-KEY-MARKER-----\n");
  omk::test::write_text(home_ / ".bashrc", "# the user's own\n");
  omk::test::write_text(outside_ / "target.txt", "original\n");
  shared_secret_ = fs::path("/tmp") / ("omk-corpus-shared-" + std::to_string(::getpid()));
  omk::test::write_text(shared_secret_, secret_ + "\n");
  fs::create_directories(workspace_);
  omk::test::git_init(workspace_);
  omk::test::write_text(workspace_ / ".omk" / "config.toml", "[runtime]\nexecution = \"ask\"\n");
  omk::test::write_text(workspace_ / ".kimi" / "mcp.json", "{\n  \"mcpServers\": {}\n}\n");
  omk::test::write_text(workspace_ / "README.md", "fixture\n");
  run_or_throw(
      {"/usr/bin/git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", "-A"},
      workspace_);
  run_or_throw({"/usr/bin/git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit",
                "-q", "-m", "fixture"},
               workspace_);
  for (const fs::path& path : {workspace_ / ".git" / "config", workspace_ / ".omk" / "config.toml",
                               workspace_ / ".kimi" / "mcp.json", home_ / ".ssh" / "id_rsa",
                               home_ / ".bashrc", outside_ / "target.txt"}) {
    protected_before_[path] = omk::test::read_text(path);
  }
  int port = 0;
  tcp_ = listen_tcp_loopback(port);
  unix_ = listen_unix((outside_ / "server.sock").string(), false);
  std::string abstract_name = "omk-corpus-" + std::to_string(::getpid());
  abstract_ = listen_unix(abstract_name, true);
  fs::create_directories(case_dir_);
  omk::test::write_text(case_dir_ / "case.env",
                        "REAL_HOME='" + home_.string() + "'\nOUTSIDE='" + outside_.string() +
                            "'\nTCP_PORT=" + std::to_string(port) + "\nSECRET='" + secret_ +
                            "'\nSHARED_SECRET='" + shared_secret_.string() + "'\nUNIX_SOCKET='" +
                            (outside_ / "server.sock").string() + "'\nABSTRACT_SOCKET='" +
                            abstract_name + "'\n");
}

CorpusFixture::~CorpusFixture() {
  for (int fd : {tcp_, unix_, abstract_}) {
    if (fd >= 0) ::close(fd);
  }
  std::error_code ec;
  fs::remove(shared_secret_, ec);
  for (auto it = fs::recursive_directory_iterator(root_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(root_, ec);
}

std::vector<std::string> CorpusFixture::install_case(const fs::path& source) {
  if (source.extension() == ".c") {
    fs::path binary = case_dir_ / source.stem();
    run_or_throw({"/usr/bin/cc", "-O1", "-o", binary.string(), source.string()}, case_dir_);
    return {binary.string()};
  }
  fs::path script = case_dir_ / source.filename();
  fs::copy_file(source, script, fs::copy_options::overwrite_existing);
  return {"/bin/sh", script.string()};
}

std::map<std::string, std::string> CorpusFixture::omk_env() const {
  return {{"HOME", home_.string()},
          {"OMK_TEST_SECRET", secret_},
          {"AWS_SECRET_ACCESS_KEY", secret_},
          {"OMK_ORIGINAL_HOME", home_.string()},
          {"OMK_PROJECT_ROOT", "\x01"}};
}

std::string CorpusFixture::host_damage() const {
  std::string damage;
  for (const auto& [path, content] : protected_before_) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      damage += path.string() + " was removed\n";
    } else if (omk::test::read_text(path) != content) {
      damage += path.string() + " was changed\n";
    }
  }
  for (const fs::path& planted :
       {workspace_ / ".git" / "hooks" / "pre-commit", workspace_ / ".claude" / "settings.json",
        workspace_ / ".codex" / "config.toml", outside_ / "new.txt", workspace_ / ".git.old",
        workspace_ / ".omk.old"}) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(planted, ec))) damage += planted.string() + " was planted\n";
  }
  if (!fs::is_directory(workspace_ / ".git" / "hooks")) damage += ".git/hooks is gone\n";
  return damage;
}

}  // namespace omk::sandbox::test_fixture
