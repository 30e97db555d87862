#pragma once

#include <filesystem>
#include <memory>

#include "core/environment.h"
#include "mcp/server.h"

namespace omk::mcp {

// The built-in omk-project server: read-only project tools for agents (project_info,
// list_files, read_file, search, run_status, run_evidence), two resources (the project's facts
// and its offline tool-plane inventory) and one orientation prompt. Paths stay inside `root`,
// secret-bearing files are refused and every file content passes through the redactor.
std::unique_ptr<McpServer> make_omk_project_server(const std::filesystem::path& root,
                                                   const EnvMap& env);

}  // namespace omk::mcp
