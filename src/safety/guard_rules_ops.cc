// Operations outside the workspace: cloud and cluster deletes, destructive SQL, package installs
// that change the machine, crontab, power state.

#include <algorithm>

#include "safety/guard_access.h"
#include "safety/guard_rules_impl.h"

namespace omk::guard::rules {
namespace {

std::vector<std::string> operands_text(const Invocation& inv, std::string_view short_values = "",
                                       std::initializer_list<std::string_view> long_values = {}) {
  std::vector<std::string> out;
  for (size_t index : operand_indices(inv, short_values, long_values)) {
    out.push_back(inv.argv[index].text);
  }
  return out;
}

bool contains_word(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Destructive SQL in any text handed to a database client.
std::string destructive_sql(std::string_view sql) {
  std::string text = lower(sql);
  std::string squeezed;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    if (c == ' ' && !squeezed.empty() && squeezed.back() == ' ') continue;
    squeezed += c;
  }
  for (std::string_view needle : {"drop database", "drop table", "drop schema", "truncate ",
                                  "truncate table", "dropdatabase(", "flushall", "flushdb"}) {
    if (squeezed.find(needle) != std::string::npos) return std::string(needle);
  }
  return {};
}

void judge_database(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  const std::string& program = inv.program;
  bool client = program == "psql" || program == "mysql" || program == "mariadb" ||
                program == "sqlite3" || program == "clickhouse-client" || program == "cockroach" ||
                program == "mongo" || program == "mongosh" || program == "redis-cli" ||
                program == "sqlcmd" || program == "duckdb";
  if (program == "dropdb" || program == "mysqladmin") {
    if (program == "dropdb" || contains_word(operands_text(inv), "drop")) {
      judge.add(Decision::kDeny, "sql-destructive", program + " drops a database");
    }
    return;
  }
  if (!client) return;
  std::vector<std::string> texts;
  for (const auto& arg : inv.argv) texts.push_back(arg.text);
  for (const auto& redirect : inv.redirects) {
    if (redirect.input_text) texts.push_back(*redirect.input_text);
  }
  if (program == "redis-cli") {
    for (const auto& text : texts) {
      std::string word = lower(text);
      if (word == "flushall" || word == "flushdb") {
        judge.add(Decision::kDeny, "sql-destructive", "redis-cli " + word + " erases the data");
        return;
      }
    }
    return;
  }
  for (const auto& text : texts) {
    std::string found = destructive_sql(text);
    if (!found.empty()) {
      judge.add(Decision::kDeny, "sql-destructive",
                program + " runs destructive SQL (" + found + ")");
      return;
    }
  }
}

void judge_cloud(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  const std::string& program = inv.program;
  if (program == "kubectl" || program == "oc" || program == "kubecolor") {
    auto words = operands_text(inv, "nslc",
                               {"--namespace", "--context", "--kubeconfig", "--server", "--cluster",
                                "--user", "--selector", "--output"});
    if (!words.empty() && words.front() == "delete") {
      judge.add(Decision::kDeny, "kubectl-delete", program + " delete removes cluster resources");
    }
  } else if (program == "helm") {
    auto words = operands_text(inv, "n", {"--namespace", "--kube-context"});
    if (!words.empty() && (words.front() == "uninstall" || words.front() == "delete")) {
      judge.add(Decision::kDeny, "kubectl-delete", "helm " + words.front() + " removes a release");
    }
  } else if (program == "terraform" || program == "tofu" || program == "terragrunt") {
    auto words = operands_text(inv);
    bool destroy = (!words.empty() && words.front() == "destroy") ||
                   (has_long_flag(inv, "-destroy") && contains_word(words, "apply"));
    if (destroy)
      judge.add(Decision::kDeny, "terraform-destroy", program + " destroys infrastructure");
  } else if (program == "docker" || program == "podman") {
    auto words = operands_text(inv, "H", {"--host", "--context", "--config"});
    if (words.size() >= 2 && (words[0] == "system" || words[0] == "volume") &&
        words[1] == "prune") {
      judge.add(Decision::kDeny, "docker-prune",
                program + " " + words[0] + " prune deletes containers, images or volumes");
    }
    if (!words.empty() && (words[0] == "run" || words[0] == "create")) {
      for (size_t i = 1; i < inv.argv.size(); ++i) {
        const std::string& text = inv.argv[i].text;
        std::string volume;
        if ((text == "-v" || text == "--volume") && i + 1 < inv.argv.size()) {
          volume = inv.argv[i + 1].text;
        } else if (starts_with(text, "--volume=")) {
          volume = text.substr(9);
        } else if (starts_with(text, "-v") && text.size() > 2) {
          volume = text.substr(2);
        }
        std::string host = volume.substr(0, volume.find(':'));
        bool host_root = host == "/" || (!host.empty() && host == judge.context.home);
        if (host_root || text == "--privileged" || text == "--pid=host") {
          judge.add(Decision::kAsk, "container-host",
                    program + " " + words[0] + " gives a container the host's " +
                        (host_root ? "filesystem (" + host + ")" : "privileges"));
          break;
        }
      }
    }
  } else if (program == "aws") {
    auto words = operands_text(inv, "", {"--profile", "--region", "--output", "--endpoint-url"});
    bool recursive = has_long_flag(inv, "--recursive");
    if (words.size() >= 2 && words[0] == "s3" && words[1] == "rm" && recursive) {
      judge.add(Decision::kDeny, "aws-s3-rm", "aws s3 rm --recursive deletes a bucket's objects");
    } else if (words.size() >= 2 && words[0] == "s3" && words[1] == "rb" &&
               has_long_flag(inv, "--force")) {
      judge.add(Decision::kDeny, "aws-s3-rm", "aws s3 rb --force deletes a bucket");
    } else if (words.size() >= 2 &&
               (starts_with(words[1], "delete-") || starts_with(words[1], "terminate-"))) {
      judge.add(Decision::kDeny, "cloud-delete",
                "aws " + words[0] + " " + words[1] + " deletes cloud resources");
    }
  } else if (program == "gcloud" || program == "az" || program == "doctl" || program == "gsutil") {
    auto words = operands_text(inv, "",
                               {"--project", "--zone", "--region", "--format", "--subscription",
                                "--resource-group", "-g"});
    bool remove = contains_word(words, "delete") ||
                  (program == "gsutil" && contains_word(words, "rm") &&
                   (has_short_flag(inv, 'r') || has_short_flag(inv, 'R'))) ||
                  (program == "gsutil" && contains_word(words, "rb"));
    if (remove) judge.add(Decision::kDeny, "gcloud-delete", program + " deletes cloud resources");
  }
}

bool inside_virtualenv(const Judge& judge) {
  if (judge.context.in_virtualenv || judge.invocation.in_virtualenv) return true;
  const std::string& command = judge.invocation.argv.front().text;
  return command.find("venv/") != std::string::npos || command.find(".venv") != std::string::npos ||
         command.find("/env/bin/") != std::string::npos;
}

void judge_packages(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  const std::string& program = inv.program;
  auto words = operands_text(inv);
  auto ask = [&](const std::string& what) {
    judge.add(Decision::kAsk, "package-install",
              what + " changes software installed on the machine");
  };
  if (program == "apt" || program == "apt-get" || program == "aptitude" || program == "dnf" ||
      program == "yum" || program == "zypper" || program == "apk" || program == "snap" ||
      program == "flatpak" || program == "brew" || program == "port" || program == "dpkg" ||
      program == "rpm") {
    static const std::vector<std::string_view> kChanging = {
        "install",      "reinstall",    "remove",       "purge",         "upgrade",
        "dist-upgrade", "full-upgrade", "autoremove",   "add",           "del",
        "erase",        "uninstall",    "localinstall", "update-minimal"};
    bool changes = std::any_of(words.begin(), words.end(), [&](const std::string& word) {
      return std::find(kChanging.begin(), kChanging.end(), word) != kChanging.end();
    });
    if (program == "dpkg" || program == "rpm") {
      changes = has_short_flag(inv, 'i') || has_short_flag(inv, 'r') || has_short_flag(inv, 'P') ||
                has_short_flag(inv, 'U') || has_short_flag(inv, 'e');
    }
    if (changes) ask(program + " " + (words.empty() ? "" : words.front()));
  } else if (program == "pacman" || program == "yay") {
    if (has_short_flag(inv, 'S') || has_short_flag(inv, 'R') || has_short_flag(inv, 'U'))
      ask(program);
  } else if (program == "npm" || program == "pnpm" || program == "yarn" || program == "bun") {
    bool global = has_short_flag(inv, 'g') || has_long_flag(inv, "--global") ||
                  (!words.empty() && words.front() == "global");
    bool installs = !words.empty() &&
                    (words.front() == "install" || words.front() == "i" || words.front() == "add" ||
                     words.front() == "global" || words.front() == "uninstall" ||
                     words.front() == "remove" || words.front() == "link");
    if (global && installs) ask(program + " global install");
  } else if (program == "pip" || program == "pip3" || starts_with(program, "pip3.") ||
             ((starts_with(program, "python")) && words.size() >= 1 &&
              std::find_if(inv.argv.begin(), inv.argv.end(),
                           [](const Arg& a) { return a.text == "pip"; }) != inv.argv.end())) {
    bool installs = contains_word(words, "install") || contains_word(words, "uninstall");
    if (!installs) return;
    bool local_target = has_short_flag(inv, 't') || has_long_flag(inv, "--target") ||
                        has_long_flag(inv, "--prefix");
    bool system = has_long_flag(inv, "--user") || has_long_flag(inv, "--break-system-packages") ||
                  has_long_flag(inv, "--root");
    if (system || (!local_target && !inside_virtualenv(judge)))
      ask("pip install outside a virtualenv");
  } else if (program == "gem" && contains_word(words, "install")) {
    ask("gem install");
  } else if (program == "pipx" && contains_word(words, "install")) {
    ask("pipx install");
  }
}

}  // namespace

void judge_operations(const Judge& judge) {
  const Invocation& inv = judge.invocation;
  if (inv.argv.empty()) return;
  const std::string& program = inv.program;
  judge_database(judge);
  judge_cloud(judge);
  judge_packages(judge);
  if (program == "crontab") {
    bool listing = inv.argv.size() == 2 && inv.argv[1].text == "-l";
    if (!listing) judge.add(Decision::kAsk, "crontab", "crontab changes scheduled jobs");
  } else if (program == "shutdown" || program == "reboot" || program == "halt" ||
             program == "poweroff" ||
             (program == "init" && inv.argv.size() > 1 &&
              (inv.argv[1].text == "0" || inv.argv[1].text == "6"))) {
    judge.add(Decision::kDeny, "power", program + " shuts down or restarts the machine");
  } else if (program == "systemctl" && inv.argv.size() > 1 &&
             (inv.argv[1].text == "poweroff" || inv.argv[1].text == "reboot" ||
              inv.argv[1].text == "halt")) {
    judge.add(Decision::kDeny, "power",
              "systemctl " + inv.argv[1].text + " shuts down or restarts the machine");
  }
}

}  // namespace omk::guard::rules
