#include "safety/env_names.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace omk::safety {
namespace {

using Words = std::vector<std::string>;

template <size_t N>
bool in(const std::string_view (&set)[N], std::string_view word) {
  return std::find(std::begin(set), std::end(set), word) != std::end(set);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Words that name a credential.
constexpr std::string_view kSecretWords[] = {
    "TOKEN",         "TOKENS",     "SECRET", "SECRETS", "PASSWORD",   "PASSWORDS",   "PASSWD",
    "PASS",          "PASSPHRASE", "PWD",    "KEY",     "KEYS",       "APIKEY",      "AUTH",
    "AUTHORIZATION", "BEARER",     "COOKIE", "COOKIES", "CREDENTIAL", "CREDENTIALS", "CREDS",
    "JWT",           "PAT",        "DSN",    "SALT",    "WEBHOOK",    "PRIVATEKEY"};

// Whole words that are credentials by themselves (session cookies).
constexpr std::string_view kSessionCookies[] = {"JSESSIONID", "PHPSESSID"};

// A word ending in one of these is a credential too (PGPASSWORD, MYSQLPWD, NPMTOKEN).
constexpr std::string_view kSecretSuffixes[] = {"PASSWORD", "PASSWD", "TOKEN",      "TOKENS",
                                                "SECRET",   "APIKEY", "PASSPHRASE", "PWD"};

// A word after a secret word that makes the name metadata about the credential, not the
// credential: TOKEN_TYPE, KEY_ID, SECRET_NAME, AUTH_MODE.
constexpr std::string_view kMetadataWords[] = {
    "ID",       "IDS",        "NAME",     "NAMES",    "TYPE",   "KIND",      "COUNT",
    "LIMIT",    "LENGTH",     "LEN",      "SIZE",     "TTL",    "TIMEOUT",   "EXPIRY",
    "EXPIRES",  "EXPIRATION", "LIFETIME", "HEADER",   "PREFIX", "ALGORITHM", "ALG",
    "FORMAT",   "MODE",       "METHOD",   "PROVIDER", "DOMAIN", "ENABLED",   "DISABLED",
    "REQUIRED", "SCOPE",      "SCOPES",   "VERSION",  "REGION", "USER",      "USERNAME",
    "ISSUER",   "AUDIENCE",   "STRATEGY", "BACKEND",  "FIELD",  "PARAM",     "PARAMETER",
    "POLICY",   "ROTATION",   "MIN",      "MAX",      "HINT",   "LABEL",     "REF",
    "SECURE",   "SAMESITE",   "HTTPONLY"};

// Location words that make a token/auth/key/cookie name an endpoint (TOKEN_URL, AUTH_HOST).
// They do not neutralise PASSWORD or WEBHOOK: a webhook URL is the credential.
constexpr std::string_view kLocationWords[] = {"URL", "URI", "ENDPOINT", "HOST", "PORT", "SERVER"};
constexpr std::string_view kEndpointableWords[] = {"TOKEN", "TOKENS", "AUTH",
                                                   "KEY",   "KEYS",   "COOKIE"};

// Counting words that make TOKEN(S) a quantity (MAX_TOKENS, OMK_TOTAL_TOKENS).
constexpr std::string_view kCountWords[] = {"MAX",   "MIN",    "TOTAL", "NUM", "NUMBER", "COUNT",
                                            "LIMIT", "BUDGET", "USED",  "PER", "CONTEXT"};

// Databases and brokers whose URL carries a password.
constexpr std::string_view kDatabaseWords[] = {
    "DATABASE",      "DB",         "REDIS", "MONGO",    "MONGODB", "POSTGRES",
    "POSTGRESQL",    "PG",         "PSQL",  "MYSQL",    "MARIADB", "MSSQL",
    "SQL",           "SQLALCHEMY", "AMQP",  "RABBITMQ", "BROKER",  "CELERY",
    "ELASTICSEARCH", "CLICKHOUSE", "NEO4J", "CASSANDRA"};

bool is_secret_word(std::string_view word) {
  if (in(kSecretWords, word) || in(kSessionCookies, word)) return true;
  for (std::string_view suffix : kSecretSuffixes) {
    if (word.size() > suffix.size() && ends_with(word, suffix)) return true;
  }
  return false;
}

bool neutralised(const Words& words, size_t at) {
  const std::string& word = words[at];
  if ((word == "KEY" || word == "KEYS") && at > 0 &&
      (words[at - 1] == "PUBLIC" || words[at - 1] == "PUBLISHABLE")) {
    return true;
  }
  if (word == "TOKEN" || word == "TOKENS") {
    for (const std::string& other : words) {
      if (in(kCountWords, other)) return true;
    }
  }
  for (size_t later = at + 1; later < words.size(); ++later) {
    if (in(kMetadataWords, words[later])) return true;
    if (in(kEndpointableWords, word) && in(kLocationWords, words[later])) return true;
  }
  return false;
}

bool is_database_url(const Words& words) {
  bool url = false;
  bool database = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "URL" || word == "URI" || word == "URLS" || word == "DSN") url = true;
    if (in(kDatabaseWords, word)) database = true;
    if (word == "CONNSTR" || word == "CONNSTRING" || word == "CONNECTIONSTRING") return true;
    if ((word == "CONNECTION" || word == "CONN") && i + 1 < words.size() &&
        (words[i + 1] == "STRING" || words[i + 1] == "STR")) {
      return true;
    }
  }
  return url && database;
}

}  // namespace

std::vector<std::string> name_words(std::string_view name) {
  Words words;
  std::string current;
  // camelCase boundaries only count in mixed-case names: NEO4J_URL and S3KEY stay whole.
  bool mixed_case = std::any_of(name.begin(), name.end(),
                                [](char c) { return std::islower(static_cast<unsigned char>(c)); });
  auto flush = [&] {
    if (!current.empty()) words.push_back(upper(current));
    current.clear();
  };
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '_' || c == '-' || c == '.' || c == ' ' || c == '/' || c == ':') {
      flush();
      continue;
    }
    auto u = static_cast<unsigned char>(c);
    if (mixed_case && std::isupper(u) && !current.empty()) {
      auto prev = static_cast<unsigned char>(name[i - 1]);
      bool next_lower =
          i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
      // fooBar -> foo|Bar; HTTPServer -> HTTP|Server; but TOKEN stays whole.
      if (std::islower(prev) || std::isdigit(prev) || (std::isupper(prev) && next_lower)) {
        flush();
      }
    }
    current += c;
  }
  flush();
  return words;
}

bool is_secret_like_name(std::string_view name) {
  std::string whole = upper(name);
  if (whole == "PWD" || whole == "OLDPWD") return false;
  Words words = name_words(name);
  for (size_t i = 0; i < words.size(); ++i) {
    if (is_secret_word(words[i]) && !neutralised(words, i)) return true;
  }
  return is_database_url(words);
}

bool is_denylisted_env_name(std::string_view name) {
  std::string n = upper(name);
  if (starts_with(n, "AWS_")) return true;
  static constexpr std::string_view exact[] = {"GOOGLE_APPLICATION_CREDENTIALS",
                                               "GITHUB_TOKEN",
                                               "GH_TOKEN",
                                               "NPM_TOKEN",
                                               "NODE_AUTH_TOKEN",
                                               "SSH_AUTH_SOCK",
                                               "KUBECONFIG"};
  if (in(exact, n)) return true;
  for (std::string_view part : {"DOTENV", "ENV_FILE", "ENV_PATH"}) {
    if (n.find(part) != std::string::npos) return true;
  }
  if (starts_with(n, "AZURE_")) {
    // Azure's credential set: secrets, and the identity fields that complete them.
    static constexpr std::string_view identity[] = {"_CLIENT_ID",
                                                    "_TENANT_ID",
                                                    "_USERNAME",
                                                    "_CLIENT_CERTIFICATE_PATH",
                                                    "_FEDERATED_TOKEN_FILE",
                                                    "_CLIENT_SEND_CERTIFICATE_CHAIN"};
    for (std::string_view suffix : identity) {
      if (ends_with(n, suffix)) return true;
    }
    if (is_secret_like_name(name)) return true;
  }
  return false;
}

bool is_control_variable(std::string_view name) {
  std::string n = upper(name);
  if (n == "OMK_DEBUG") return true;
  for (std::string_view prefix :
       {"OMK_TRUST_", "OMK_STRICT_", "OMK_ALLOW_", "OMK_MCP_ALLOW_", "OMK_ISOLATED_HOME_"}) {
    if (starts_with(n, prefix)) return true;
  }
  return false;
}

bool is_code_injection_variable(std::string_view name) {
  std::string n = upper(name);
  static constexpr std::string_view exact[] = {
      "LD_PRELOAD",   "LD_LIBRARY_PATH", "LD_AUDIT",        "BASH_ENV",          "ENV",
      "NODE_OPTIONS", "NODE_PATH",       "PYTHONSTARTUP",   "PYTHONPATH",        "PYTHONHOME",
      "PERL5OPT",     "PERL5LIB",        "RUBYOPT",         "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
      "GIT_ASKPASS",  "SSH_ASKPASS",     "GIT_SSH_COMMAND", "GIT_SSH",           "PROMPT_COMMAND"};
  if (in(exact, n)) return true;
  return starts_with(n, "GIT_CONFIG") || starts_with(n, "GIT_EXEC_PATH") || starts_with(n, "DYLD_");
}

const std::vector<std::string>& basic_env_allowlist() {
  static const std::vector<std::string> names = {
      "PATH",   "HOME", "LANG", "LC_*",  "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR",
      "TMPDIR", "TMP",  "TEMP", "SHELL", "USER", "LOGNAME",   "CI",       "TZ"};
  return names;
}

bool matches_name_pattern(std::string_view pattern, std::string_view name) {
  if (!pattern.empty() && pattern.back() == '*') {
    pattern.remove_suffix(1);
    return starts_with(name, pattern);
  }
  return pattern == name;
}

bool matches_any_name_pattern(const std::vector<std::string>& patterns, std::string_view name) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return matches_name_pattern(p, name); });
}

}  // namespace omk::safety
