#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace omk::safety {

// Classifiers for environment variable (and header, JSON key) names. They look at names only;
// build_child_env (env_policy.h) also checks values against the secret rules.

// Whether a name says its value is a credential. The name is split into words at '_', '-', '.'
// and camelCase boundaries, then:
//  - a secret word (TOKEN, SECRET, PASSWORD, PASSWD, PASS, PWD, PASSPHRASE, KEY, APIKEY, AUTH,
//    AUTHORIZATION, BEARER, COOKIE, CREDENTIAL(S), CREDS, JWT, PAT, DSN, SALT, WEBHOOK, ...) or
//    a word ending in one (PGPASSWORD, MYSQLPWD) makes it secret-like;
//  - unless a later word says it is metadata about the credential (TOKEN_URL, KEY_ID,
//    COOKIE_DOMAIN, AUTH_TYPE), a count (MAX_TOKENS, OMK_TOTAL_TOKENS) or a public key
//    (PUBLIC_KEY);
//  - database and broker URLs (DATABASE_URL, REDIS_URL, MONGODB_URI, AMQP_URL) and connection
//    strings are secret-like;
//  - SESSION alone is not (XDG_SESSION_TYPE, DBUS_SESSION_BUS_ADDRESS, KIMI_SESSION_ID), nor
//    the shell's PWD and OLDPWD.
bool is_secret_like_name(std::string_view name);

// Names always withheld from children, even when allowlisted, granted or explicit: cloud
// credentials (AWS_*, AZURE_* credentials, GOOGLE_APPLICATION_CREDENTIALS), GITHUB_TOKEN,
// GH_TOKEN, NPM_TOKEN, NODE_AUTH_TOKEN, SSH_AUTH_SOCK, KUBECONFIG and dotenv references
// (*DOTENV*, *ENV_FILE*, *ENV_PATH*). Case-insensitive.
bool is_denylisted_env_name(std::string_view name);

// omk's own switches, never passed to a child from any source: OMK_TRUST_*, OMK_STRICT_*,
// OMK_ALLOW_*, OMK_MCP_ALLOW_*, OMK_ISOLATED_HOME_*, OMK_DEBUG. (From the parent environment
// every OMK_* variable is withheld; see build_child_env.)
bool is_control_variable(std::string_view name);

// Variables that make a child load or run other code (LD_PRELOAD, LD_LIBRARY_PATH, BASH_ENV,
// ENV, NODE_OPTIONS, PYTHONSTARTUP, PYTHONPATH, PERL5OPT, GIT_CONFIG*, GIT_ASKPASS,
// GIT_SSH_COMMAND, ...). Never taken from the parent; explicit ones pass with a warning.
bool is_code_injection_variable(std::string_view name);

// The names every child may inherit: PATH HOME LANG LC_* TERM COLORTERM NO_COLOR FORCE_COLOR
// TMPDIR TMP TEMP SHELL USER LOGNAME CI TZ.
const std::vector<std::string>& basic_env_allowlist();

// `pattern` is NAME (exact) or PREFIX* (prefix), as in [env] allow. Case-sensitive, as Linux
// variable names are.
bool matches_name_pattern(std::string_view pattern, std::string_view name);
bool matches_any_name_pattern(const std::vector<std::string>& patterns, std::string_view name);

// The words is_secret_like_name sees, upper-cased ("apiKey" -> {"API", "KEY"}). For tests and
// diagnostics.
std::vector<std::string> name_words(std::string_view name);

}  // namespace omk::safety
