# The human entry point. `make demo` and `make test` work on a fresh Debian 12 machine.
BUILD_DIR    ?= build
TEST_DIR     ?= build-test
RELEASE_DIR  ?= build-release
PREFIX       ?= /usr/local
JOBS         ?= $(shell nproc)

.PHONY: all build demo test bench package install format clean bootstrap bootstrap-tests

all: build

bootstrap:
	@scripts/bootstrap

bootstrap-tests:
	@scripts/bootstrap --tests

build: bootstrap
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOMK_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@OMK=$(CURDIR)/$(BUILD_DIR)/omk examples/quickstart/run.sh

# The whole suite under ASan+UBSan, through CTest.
test: bootstrap-tests
	@cmake -S . -B $(TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOMK_SANITIZE=ON -DOMK_BUILD_TESTS=ON >/dev/null
	@cmake --build $(TEST_DIR) -j $(JOBS)
	@cd $(TEST_DIR) && ctest --output-on-failure -j $(JOBS)

bench: bootstrap-tests
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DOMK_BUILD_TESTS=OFF -DOMK_BUILD_BENCH=ON >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS)
	@OMK=$(CURDIR)/$(RELEASE_DIR)/omk BUILD_DIR=$(CURDIR)/$(RELEASE_DIR) bench/run

# Release .deb and .tar.gz in $(RELEASE_DIR)/packages, each audited before it is reported.
package: bootstrap-tests
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DOMK_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS)
	@cd $(RELEASE_DIR) && cpack -B packages >/dev/null
	@for p in $(RELEASE_DIR)/packages/*.deb $(RELEASE_DIR)/packages/*.tar.gz; do scripts/audit-package "$$p" || exit 1; done

install: build
	@cmake --install $(BUILD_DIR) --prefix $(PREFIX)

format:
	@find src tests bench fuzz \( -name '*.cc' -o -name '*.h' \) -print0 | xargs -0 -r clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(TEST_DIR) $(RELEASE_DIR)
