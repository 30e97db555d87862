# Every dependency is a Debian package installed by scripts/bootstrap; nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
# Debian ships the compiled toml++ (link it, do not define TOML_HEADER_ONLY).
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
# mcp: skills' YAML front matter and the Streamable HTTP client. libcurl's headers are needed
# at build time; the library is opened at run time on first use (src/core/lazy_curl.cc).
find_package(yaml-cpp CONFIG REQUIRED)
find_package(CURL REQUIRED)
# Debian's cpp-httplib is a compiled library; its pkg-config file carries the feature defines.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# The run index (.omk/omk.db) and the routing layer's evidence history (.omk/history.db).
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
# SHA-256 of run specs and artifacts (libcrypto; Debian's libssl-dev).
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
# vectorscan (the omk-project server's search; the safety layer's scanner).
pkg_check_modules(LIBHS REQUIRED IMPORTED_TARGET libhs)
