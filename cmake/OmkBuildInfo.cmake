# Build facts for `omk version`: the commit at configure time (when the tree is a git checkout)
# and the kernel features the layers compiled in. Layers append to OMK_BUILT_FEATURES.
execute_process(
  COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE OMK_GIT_COMMIT
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
set(OMK_BUILT_FEATURES "" CACHE INTERNAL "kernel features compiled in")
