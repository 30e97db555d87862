// escape: ptrace a sibling process (read or steer another process in the sandbox)
// control: escapes
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  pid_t sibling = fork();
  if (sibling == 0) {
    pause();
    return 0;
  }
  long attached = ptrace(PTRACE_ATTACH, sibling, 0, 0);
  if (attached == 0) {
    waitpid(sibling, NULL, 0);
    ptrace(PTRACE_DETACH, sibling, 0, 0);
  }
  kill(sibling, SIGKILL);
  waitpid(sibling, NULL, 0);
  puts(attached == 0 ? "ESCAPED" : "BLOCKED");
  return 0;
}
