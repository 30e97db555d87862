#include "secret_corpus.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <stdexcept>

namespace omk::test {
namespace {

std::string_view alphabet_for(char cls) {
  switch (cls) {
    case 'a':
      return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    case 'A':
      return "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    case 'l':
      return "abcdefghijklmnopqrstuvwxyz0123456789";
    case 'h':
      return "0123456789abcdef";
    case 'd':
      return "0123456789";
    case 'b':
      return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    case 'u':
      return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    case 'c':
      return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    case '3':
      return "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    case 'g':
      return "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
    case 'x':
      return "x";
    default:
      return {};
  }
}

std::vector<std::string> strings(const toml::table& table, std::string_view key) {
  std::vector<std::string> out;
  if (const toml::array* array = table[key].as_array()) {
    for (const auto& node : *array) {
      if (auto value = node.value<std::string>()) out.push_back(*value);
    }
  }
  return out;
}

// --- filler: text shaped like source code and configuration -----------------------------------

constexpr const char* kNouns[] = {
    "user",    "account", "order", "item",   "config",  "request", "response", "handler",
    "server",  "client",  "cache", "buffer", "record",  "file",    "path",     "name",
    "value",   "result",  "index", "count",  "status",  "message", "payload",  "header",
    "body",    "query",   "table", "column", "row",     "event",   "task",     "job",
    "worker",  "queue",   "batch", "node",   "graph",   "edge",    "model",    "view",
    "router",  "route",   "param", "option", "flag",    "setting", "context",  "state",
    "store",   "entry",   "list",  "map",    "offset",  "limit",   "page",     "size",
    "width",   "height",  "color", "label",  "title",   "text",    "line",     "token",
    "session", "key",     "field", "schema", "version", "target",  "source",   "output"};
constexpr const char* kVerbs[] = {
    "get",    "set",   "load",  "save",   "parse",  "build",  "create",  "update",
    "delete", "find",  "fetch", "send",   "read",   "write",  "open",    "close",
    "start",  "stop",  "run",   "check",  "render", "format", "compute", "handle",
    "merge",  "split", "sort",  "filter", "apply",  "init",   "reset",   "encode"};
constexpr const char* kWords[] = {
    "the",  "a",      "this",    "when",   "if",    "we",     "must",    "should", "not",
    "and",  "or",     "before",  "after",  "each",  "every",  "returns", "value",  "error",
    "file", "cache",  "request", "retry",  "fails", "called", "ignored", "empty",  "list",
    "user", "config", "default", "option", "for",   "with",   "from",    "into",   "once"};
constexpr const char* kBenign[] = {
    "api_key = os.environ.get(\"API_KEY\")",
    "password_hash = bcrypt.hashpw(password.encode(), salt)",
    "tokens = tokenizer.tokenize(text)",
    "if not self.secret_name:",
    "const token = req.headers.authorization;",
    "headers[\"Authorization\"] = f\"Bearer {token}\"",
    "      DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}",
    "  password: ${DB_PASSWORD}",
    "# TODO: rotate the api key before the release",
    "token = get_token(session)",
    "secret = vault.read(path)[\"data\"]",
    "MAX_TOKENS = 4096",
    "PASSWORD_MIN_LENGTH=12",
    "func (c *Client) SetToken(token string) { c.token = token }",
    "export function validatePassword(password: string): boolean {",
    "    raise AuthError(\"invalid token\")",
    "let key = format!(\"{}:{}\", prefix, id);",
    "- name: Set up credentials",
    "See https://docs.example.com/auth/tokens for how tokens rotate.",
};

std::string pick(TokenGenerator& gen, const char* const* list, size_t size) {
  return list[gen.below(size)];
}

template <size_t N>
std::string pick(TokenGenerator& gen, const char* const (&list)[N]) {
  return pick(gen, list, N);
}

std::string identifier(TokenGenerator& gen) {
  std::string id = pick(gen, kVerbs) + "_" + pick(gen, kNouns);
  if (gen.below(3) == 0) {
    id += '_';
    id += pick(gen, kNouns);
  }
  return id;
}

std::string sentence(TokenGenerator& gen, size_t words) {
  std::string out;
  for (size_t i = 0; i < words; ++i) {
    if (i > 0) out += ' ';
    out += pick(gen, kWords);
  }
  return out;
}

std::string indent(TokenGenerator& gen) {
  return std::string(4 * gen.below(4), ' ');
}

std::string filler_line(TokenGenerator& gen, const std::string& language) {
  size_t r = gen.below(1000);
  if (r < 8) return pick(gen, kBenign);
  if (r < 14) return indent(gen) + "commit = \"" + gen.random(alphabet_for('h'), 40) + "\"";
  if (r < 18) return indent(gen) + "request_id = \"" + gen.expand("{uuid}") + "\"";
  if (r < 20) {
    return "    \"integrity\": \"sha512-" + gen.random(alphabet_for('b'), 86) + "==\",";
  }
  if (r < 30) {
    return indent(gen) + "url = \"https://example.com/" + pick(gen, kNouns) + "/" +
           std::to_string(gen.below(100000)) + "?page=" + std::to_string(gen.below(9)) + "\"";
  }
  if (language == "md") {
    return r < 300 ? "" : sentence(gen, 6 + gen.below(12)) + ".";
  }
  if (language == "yaml") {
    if (r < 500) return indent(gen) + pick(gen, kNouns) + ": " + pick(gen, kNouns);
    if (r < 700) return indent(gen) + "- " + identifier(gen);
    return indent(gen) + pick(gen, kNouns) + "_" + pick(gen, kNouns) + ": " +
           std::to_string(gen.below(10000));
  }
  if (language == "json") {
    return "  \"" + pick(gen, kNouns) + "\": \"" + pick(gen, kNouns) + "-" +
           std::to_string(gen.below(1000)) + "\",";
  }
  std::string comment = language == "py" ? "# " : "// ";
  if (r < 150) return indent(gen) + comment + sentence(gen, 4 + gen.below(10));
  if (r < 350) {
    return indent(gen) + identifier(gen) + " = " + identifier(gen) + "(" + pick(gen, kNouns) +
           ", " + std::to_string(gen.below(1000)) + ")";
  }
  if (r < 450) return indent(gen) + "if " + pick(gen, kNouns) + " == " + identifier(gen) + ":";
  if (r < 550) {
    return indent(gen) + pick(gen, kNouns) + "." + pick(gen, kNouns) + " = \"" +
           sentence(gen, 1 + gen.below(4)) + "\"";
  }
  if (r < 600) return "import " + pick(gen, kNouns) + "." + pick(gen, kNouns);
  if (r < 700) return "";
  if (r < 800) {
    return indent(gen) + "for " + pick(gen, kNouns) + " in " + pick(gen, kNouns) + "s:";
  }
  return indent(gen) + "return " + pick(gen, kNouns) + "." + identifier(gen) + "(" +
         pick(gen, kNouns) + ")";
}

size_t count_lines(const std::string& text) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

std::string secret_cases_file() {
  return std::string(OMK_TEST_SOURCE_DIR) + "/tests/corpus/secrets/cases.toml";
}

std::vector<SecretCase> load_secret_cases(const std::string& file) {
  toml::table root = toml::parse_file(file);
  std::vector<SecretCase> cases;
  if (const toml::array* array = root["case"].as_array()) {
    for (const auto& node : *array) {
      const toml::table* table = node.as_table();
      if (table == nullptr) continue;
      SecretCase c;
      c.rule = (*table)["rule"].value_or(std::string());
      c.tp = strings(*table, "tp");
      c.fp = strings(*table, "fp");
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

std::string TokenGenerator::random(std::string_view alphabet, size_t count) {
  std::string out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) out += alphabet[below(alphabet.size())];
  return out;
}

std::string TokenGenerator::expand(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      std::string_view inner =
          close == std::string_view::npos ? std::string_view() : text.substr(i + 1, close - i - 1);
      if (inner == "uuid") {
        out += random(alphabet_for('h'), 8) + "-" + random(alphabet_for('h'), 4) + "-4" +
               random(alphabet_for('h'), 3) + "-a" + random(alphabet_for('h'), 3) + "-" +
               random(alphabet_for('h'), 12);
        i = close + 1;
        continue;
      }
      size_t colon = inner.find(':');
      if (colon != std::string_view::npos && !inner.empty()) {
        std::string_view kind = inner.substr(0, colon);
        std::string_view number = inner.substr(colon + 1);
        bool digits = !number.empty() && std::all_of(number.begin(), number.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
        if (digits) {
          size_t count = std::stoul(std::string(number));
          if (kind == "pem") {
            for (size_t line = 0; line < count; ++line) {
              if (line > 0) out += '\n';
              out += random(alphabet_for('b'), 64);
            }
            i = close + 1;
            continue;
          }
          if (kind.size() == 1 && !alphabet_for(kind[0]).empty()) {
            out += random(alphabet_for(kind[0]), count);
            i = close + 1;
            continue;
          }
        }
      }
    }
    out += text[i++];  // not a placeholder: literal text such as ${VAR} or a JSON brace
  }
  return out;
}

std::vector<PlantedSecret> generate_planted_corpus(
    const std::vector<SecretCase>& cases, const CorpusOptions& options,
    const std::function<void(const std::string&, const std::string&)>& emit) {
  static const char* const kLanguages[] = {"py", "js", "go", "yaml", "md", "json"};
  TokenGenerator gen(options.seed);
  std::vector<PlantedSecret> planted;
  double secret_rate = options.secrets_per_mb / 1e6;
  double miss_rate = options.near_misses_per_mb / 1e6;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  size_t written = 0;
  for (size_t index = 0; written < options.total_bytes; ++index) {
    std::string language = kLanguages[gen.below(6)];
    std::string name = fmt::format("src/mod{:02}/file{:05}.{}", index % 50, index, language);
    size_t target = options.file_bytes / 2 + gen.below(options.file_bytes);
    std::string content;
    size_t line = 1;
    while (content.size() < target) {
      std::string text = filler_line(gen, language);
      content += text + "\n";
      ++line;
      double roll = unit(gen.rng());
      double weight = static_cast<double>(text.size() + 1);
      if (roll < weight * secret_rate) {
        const SecretCase& c = cases[gen.below(cases.size())];
        if (c.tp.empty()) continue;
        std::string secret = gen.expand(c.tp[gen.below(c.tp.size())]);
        planted.push_back({name, line, c.rule});
        content += secret + "\n";
        line += count_lines(secret);
      } else if (roll < weight * (secret_rate + miss_rate)) {
        const SecretCase& c = cases[gen.below(cases.size())];
        if (c.fp.empty()) continue;
        std::string miss = gen.expand(c.fp[gen.below(c.fp.size())]);
        content += miss + "\n";
        line += count_lines(miss);
      }
    }
    written += content.size();
    emit(name, content);
  }
  return planted;
}

}  // namespace omk::test
