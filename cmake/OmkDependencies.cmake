# Every dependency is a Debian package installed by scripts/bootstrap; nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3.11 CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
# Debian ships the compiled toml++ (link it, do not define TOML_HEADER_ONLY).
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
# Debian's cpp-httplib is a compiled library; its pkg-config file carries the feature defines.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# The routing layer's evidence history (.omk/history.db); the run index uses it too.
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
