// escape: set up io_uring (which can open sockets and files around the syscall filter)
// control: none (io_uring may be disabled on the host)
#include <linux/io_uring.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  struct io_uring_params params;
  memset(&params, 0, sizeof params);
  long fd = syscall(__NR_io_uring_setup, 4, &params);
  if (fd >= 0) {
    close((int)fd);
    puts("ESCAPED");
  } else {
    perror("io_uring_setup");
    puts("BLOCKED");
  }
  return 0;
}
