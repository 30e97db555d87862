// Machines missing a layer: what still holds, what is reported, and what --require-sandbox refuses.
#include "sandbox/sandbox.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "sandbox/kernel_support.h"
#include "sandbox/sandboxed_run.h"
#include "sandbox/seccomp_filter.h"
#include "sandbox_fixture.h"

namespace omk::sandbox {
namespace {
namespace fs = std::filesystem;
using namespace test_fixture;

TEST(Degraded, RequireRefusesWhenALayerIsMissing) {
  KernelSupportReset reset;
  Fixture f;
  mark_unavailable(Unavailable::kNamespaces, "test: namespaces switched off");
  auto relaxed = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  auto missing = relaxed->enforcement().missing();
  ASSERT_FALSE(missing.empty());
  EXPECT_TRUE(has(missing.front(), "namespaces"));
  auto request = f.request(Profile::kWorkspaceWrite);
  request.require = true;
  try {
    Sandbox::prepare(request);
    FAIL() << "require must refuse";
  } catch (const UserError& error) {
    EXPECT_EQ(error.code(), ExitCode::kPolicy);
    EXPECT_TRUE(has(error.what(), "namespaces"));
  }
}

TEST(Degraded, SpawnTimeRefusalDropsTheLayerOrRefuses) {
  KernelSupportReset reset;
  Fixture f;
  auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  EXPECT_EQ(box->degrade("exec", "exec: No such file"), Sandbox::Degrade::kNotALayer);
  EXPECT_EQ(box->degrade("mount: make the mount tree private", "EPERM"), Sandbox::Degrade::kRetry);
  EXPECT_FALSE(box->enforcement().layer("protected_paths")->enforced);
  EXPECT_FALSE(box->enforcement().layer("filesystem_view")->enforced);
  reset_kernel_support();
  auto request = f.request(Profile::kWorkspaceWrite);
  request.require = true;
  auto strict = Sandbox::prepare(request);
  EXPECT_EQ(strict->degrade("namespaces: clone", "EPERM"), Sandbox::Degrade::kRefused);
}

TEST(Degraded, WithoutNamespacesLandlockAndSeccompStillHold) {
  OMK_REQUIRE_SANDBOX_LAYERS();
  KernelSupportReset reset;
  Fixture f;
  mark_unavailable(Unavailable::kNamespaces, "test: namespaces switched off");
  auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  EXPECT_EQ(box->child_setup()->clone_flags(), 0u);
  auto result = run_script(
      *box,
      attempts({{"workspace", "echo w > w.txt"},
                {"outside", "echo x > " + (f.tmp.path() / "outside.txt").string()},
                {"real_home", "cat " + (f.home / ".ssh/id_rsa").string()},
                {"shared_tmp", "echo x > /tmp/omk-sandbox-test-$$"},
                {"tmpdir", "echo x > \"$TMPDIR/x\""},
                {"inet", "/usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET)'"}}),
      f.workspace);
  const std::string& out = result.out.text;
  EXPECT_TRUE(has(out, "workspace=ok")) << out << result.err.text;
  EXPECT_TRUE(has(out, "outside=refused")) << out;
  EXPECT_TRUE(has(out, "real_home=refused")) << out;
  EXPECT_TRUE(has(out, "shared_tmp=refused")) << out;
  EXPECT_TRUE(has(out, "tmpdir=ok")) << out;
  EXPECT_TRUE(has(out, "inet=refused")) << out;
}

TEST(Degraded, WithoutLandlockTheFilesystemViewStillHolds) {
  OMK_REQUIRE_SANDBOX_LAYERS();
  KernelSupportReset reset;
  Fixture f;
  mark_unavailable(Unavailable::kLandlock, "test: Landlock switched off");
  auto box = Sandbox::prepare(f.request(Profile::kWorkspaceWrite));
  EXPECT_FALSE(box->enforcement().layer("landlock")->enforced);
  auto result =
      run_script(*box,
                 attempts({{"workspace", "echo w > w.txt"},
                           {"outside", "echo x > " + (f.tmp.path() / "outside.txt").string()},
                           {"real_home", "cat " + (f.home / ".ssh/id_rsa").string()},
                           {"usr", "touch /usr/omk-test"},
                           {"hooks", "mkdir -p .git/hooks 2>/dev/null; touch .omk/x"}}),
                 f.workspace);
  const std::string& out = result.out.text;
  EXPECT_TRUE(has(out, "workspace=ok")) << out << result.err.text;
  // Under /tmp the path exists only in the child's private /tmp: the host never sees the file.
  EXPECT_FALSE(fs::exists(f.tmp.path() / "outside.txt"));
  EXPECT_TRUE(has(out, "real_home=refused")) << out;
  EXPECT_TRUE(has(out, "usr=refused")) << out;
  EXPECT_TRUE(has(out, "hooks=refused")) << out;
}

TEST(Degraded, FullAccessAndDelegationApplyNoOsSandbox) {
  Fixture f;
  auto full = Sandbox::prepare(f.request(Profile::kFullAccess));
  EXPECT_EQ(full->child_setup(), nullptr);
  EXPECT_FALSE(full->enforcement().complete());
  EXPECT_TRUE(has(full->enforcement().summary(), "no sandbox"));
  auto request = f.request(Profile::kWorkspaceWrite);
  request.adapter_sandbox = "codex";
  auto delegated = Sandbox::prepare(request);
  EXPECT_EQ(delegated->child_setup(), nullptr);
  EXPECT_EQ(delegated->enforcement().delegated_to, "codex");
  EXPECT_TRUE(has(delegated->enforcement().summary(), "codex"));
  for (auto r : {f.request(Profile::kFullAccess), request}) {
    r.require = true;
    try {
      Sandbox::prepare(r);
      ADD_FAILURE() << "require must refuse a run without omk's sandbox";
    } catch (const UserError& error) {
      EXPECT_EQ(error.code(), ExitCode::kPolicy);
    }
  }
}

}  // namespace
}  // namespace omk::sandbox
