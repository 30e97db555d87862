#include "cli/image_output.h"

#include <fmt/format.h>

#include <system_error>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/ids.h"

namespace omk::cli {
namespace fs = std::filesystem;

ImageDestination::ImageDestination(const fs::path& cwd, const std::string& output) {
  if (output.empty()) {
    directory_ = cwd;
    return;
  }
  fs::path path = fs::path(output).is_absolute() ? fs::path(output) : cwd / output;
  std::error_code error;
  if (output.back() == '/' || fs::is_directory(path, error)) {
    if (fs::exists(path, error) && !fs::is_directory(path, error)) {
      throw usage_error(fmt::format("-o {}: exists and is not a directory", output));
    }
    directory_ = path.lexically_normal();
    return;
  }
  path = path.lexically_normal();
  if (!fs::is_directory(path.parent_path(), error)) {
    throw usage_error(
        fmt::format("-o {}: the directory {} does not exist; create it or name an existing one",
                    output, path.parent_path().string()));
  }
  directory_ = path.parent_path();
  file_ = path;
}

std::vector<fs::path> ImageDestination::paths_for(
    const std::vector<std::string>& extensions) const {
  std::vector<fs::path> paths;
  if (file_) {
    if (extensions.size() == 1) return {*file_};
    for (size_t i = 0; i < extensions.size(); ++i) {
      std::string name =
          fmt::format("{}-{}{}", file_->stem().string(), i + 1,
                      file_->has_extension() ? file_->extension().string() : "." + extensions[i]);
      paths.push_back(file_->parent_path() / name);
    }
    return paths;
  }
  std::error_code error;
  std::string base;
  for (int attempt = 0; attempt < 100; ++attempt) {
    base = "omk-image-" + new_run_id();
    bool taken = false;
    paths.clear();
    for (size_t i = 0; i < extensions.size(); ++i) {
      std::string suffix = extensions.size() == 1 ? "" : fmt::format("-{}", i + 1);
      paths.push_back(directory_ / fmt::format("{}{}.{}", base, suffix, extensions[i]));
      taken = taken || fs::exists(paths.back(), error);
    }
    if (!taken) break;
  }
  return paths;
}

void write_images(const std::vector<fs::path>& paths, const std::vector<std::string>& images) {
  std::vector<fs::path> written;
  std::vector<fs::path> created_directories;
  std::error_code error;
  try {
    for (size_t i = 0; i < paths.size(); ++i) {
      fs::path directory = paths[i].parent_path();
      // Remember each directory this command creates, outermost last, to undo on failure.
      std::vector<fs::path> missing;
      for (fs::path d = directory; !d.empty() && !fs::exists(d, error); d = d.parent_path()) {
        missing.push_back(d);
        if (d == d.parent_path()) break;
      }
      if (!missing.empty()) {
        fs::create_directories(directory, error);
        if (error) {
          throw usage_error(fmt::format("cannot create the directory {}: {}", directory.string(),
                                        error.message()));
        }
        created_directories.insert(created_directories.end(), missing.begin(), missing.end());
      }
      write_file_atomic(paths[i], images[i], 0644);
      written.push_back(paths[i]);
    }
  } catch (...) {
    for (const fs::path& path : written) fs::remove(path, error);
    for (const fs::path& directory : created_directories) fs::remove(directory, error);
    throw;
  }
}

}  // namespace omk::cli
