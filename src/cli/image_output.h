#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace omk::cli {

// Where `omk image` puts its results (-o FILE|DIR), decided before the API is called so a bad
// destination costs nothing, and written all-or-nothing afterwards.
class ImageDestination {
 public:
  // `output` is the -o value (empty: the current directory). A value ending in '/' or naming
  // an existing directory is a directory (created when missing); anything else is a file whose
  // directory must exist. Throws UserError (exit 2) naming the path otherwise.
  ImageDestination(const std::filesystem::path& cwd, const std::string& output);

  // The paths for `extensions.size()` images ("png", "jpg", "webp"): FILE itself for one image
  // into a file, FILE's stem plus "-1", "-2"... for several; in a directory,
  // "omk-image-<time>-<random>[-i].<ext>", never an existing file's name.
  std::vector<std::filesystem::path> paths_for(const std::vector<std::string>& extensions) const;

 private:
  std::filesystem::path directory_;
  std::optional<std::filesystem::path> file_;
};

// Writes every image atomically (0644). If one write fails, the ones already written are
// removed and the UserError is rethrown: a failed command leaves nothing behind.
void write_images(const std::vector<std::filesystem::path>& paths,
                  const std::vector<std::string>& images);

}  // namespace omk::cli
