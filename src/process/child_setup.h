#pragma once

namespace omk::process {

// Work done in a child between fork and exec on behalf of a layer that knows why (the sandbox).
// The process layer only knows when to call it, never what it means. Everything is prepared
// before fork; the in-child methods make only async-signal-safe calls (no allocation, no locks,
// no exceptions) and report a failure as an errno value plus a static description of the step,
// which the parent turns into a SpawnError naming that step.
class ChildSetup {
 public:
  virtual ~ChildSetup() = default;

  // Extra clone(2) flags for the child (namespaces). 0 means a plain fork.
  virtual unsigned long clone_flags() const noexcept { return 0; }

  // True when the first child must stay behind as a supervisor: after prepare_in_child() the
  // process layer forks again; the first process reaps everything and reports the program's wait
  // status, the second becomes the program. Needed when the child is PID 1 of a new PID
  // namespace, where the program itself would ignore SIGTERM and leave orphans unreaped.
  virtual bool wants_supervisor() const noexcept { return false; }

  // Runs first, in the process fork/clone created, with stdio in place and a new session.
  // Returns 0, or an errno value with *failed_step set.
  virtual int prepare_in_child(const char** failed_step) const noexcept {
    (void)failed_step;
    return 0;
  }

  // Runs last, in the process that execs the program, after chdir. Same contract.
  virtual int restrict_in_child(const char** failed_step) const noexcept {
    (void)failed_step;
    return 0;
  }
};

}  // namespace omk::process
