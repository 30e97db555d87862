#include "core/output.h"

#include <unistd.h>

#include <cerrno>
#include <mutex>

namespace omk {
namespace {

std::mutex& output_mutex() {
  static std::mutex mutex;
  return mutex;
}

OutputFilter& current_filter() {
  static OutputFilter filter;
  return filter;
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // a closed pipe must not crash omk; the exit code still tells the story
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
}

void print_to(int fd, std::string_view text) {
  if (text.empty()) return;  // nothing to filter: the redactor is not even built for it
  std::lock_guard lock(output_mutex());
  if (current_filter()) {
    write_all(fd, current_filter()(text));
  } else {
    write_all(fd, text);
  }
}

class PassThrough final : public StreamFilter {
 public:
  std::string feed(std::string_view chunk) override { return std::string(chunk); }
  std::string finish() override { return {}; }
};

StreamFilterFactory& stream_factory() {
  static StreamFilterFactory factory;
  return factory;
}

}  // namespace

void set_stream_filter_factory(StreamFilterFactory factory) {
  std::lock_guard lock(output_mutex());
  stream_factory() = std::move(factory);
}

std::unique_ptr<StreamFilter> make_stream_filter() {
  StreamFilterFactory factory;
  {
    std::lock_guard lock(output_mutex());
    factory = stream_factory();
  }
  if (factory) return factory();
  return std::make_unique<PassThrough>();
}

void set_output_filter(OutputFilter filter) {
  std::lock_guard lock(output_mutex());
  current_filter() = std::move(filter);
}

std::string filter_output(std::string_view text) {
  std::lock_guard lock(output_mutex());
  return current_filter() ? current_filter()(text) : std::string(text);
}

void print_out(std::string_view text) {
  print_to(STDOUT_FILENO, text);
}
void print_err(std::string_view text) {
  print_to(STDERR_FILENO, text);
}

}  // namespace omk
