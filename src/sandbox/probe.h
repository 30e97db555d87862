#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sandbox/enforcement.h"
#include "sandbox/kernel_support.h"

namespace omk::sandbox {

// What `omk sandbox probe` (and later `omk doctor`) reports: the kernel's facilities and, per
// profile, what a child gets here, found by actually running `true` in each profile's sandbox
// (a namespace or mount the kernel refuses shows up as missing, exactly as it would in a run).
struct ProbeReport {
  std::string kernel;
  std::string arch;
  KernelSupport support;                     // after the trial runs
  std::vector<std::string> landlock_rights;  // what the ruleset restricts at this ABI
  std::map<Profile, Enforcement> profiles;
  std::map<Profile, std::string> trial_errors;  // a trial child that did not run, and why
};

ProbeReport probe_sandbox(const std::filesystem::path& scratch_base);

}  // namespace omk::sandbox
