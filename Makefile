# SPDX-License-Identifier: MIT
# A thin wrapper around CMake: `make demo` and `make test` work on a fresh
# Debian 12 machine, installing what is missing first.

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
PARALLEL ?= $(shell nproc 2>/dev/null || echo 2)

DEB_PACKAGES := g++ cmake make pkg-config libboost1.81-dev libboost-json1.81-dev libtomlplusplus-dev libgtest-dev
# The tests read the JUnit report with Debian's Python and lxml
# (tests/junit/check_junit.py), and check the job file's schema with
# jsonschema (tests/schema/check_schema.py).
DEB_PACKAGES += python3 python3-lxml python3-jsonschema
# The shell completions are driven in each shell (tests/completions/check).
DEB_PACKAGES += zsh fish

.PHONY: all deps configure build demo test bench fuzz install clean

all: build

# Installs the Debian packages that are missing, as root or through sudo.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "Installing:" $$missing; \
	  $$sudo apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD_DIR) --parallel $(PARALLEL)

demo: build
	$(BUILD_DIR)/fanout -f jobfiles/demo.toml

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure --no-tests=error --parallel $(PARALLEL)

bench:
	bench/run

# --launcher slurm against a real one-node Slurm: tests/slurm/up.sh installs
# Debian's packages if missing and starts it (as root), the tests labelled
# `slurm` run against it, and tests/slurm/down.sh stops what up.sh started,
# also when a test failed.
.PHONY: test-slurm
test-slurm: build
	@sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	conf=$$($$sudo tests/slurm/up.sh | sed -n 's/^export SLURM_CONF=//p'); \
	if [ -z "$$conf" ]; then $$sudo tests/slurm/down.sh; exit 1; fi; \
	rc=0; SLURM_CONF=$$conf ctest --test-dir $(BUILD_DIR) --output-on-failure --no-tests=error \
	  -L slurm || rc=$$?; \
	$$sudo tests/slurm/down.sh; exit $$rc

# The job-file parser and shell quoting under libFuzzer, ASan and UBSan, built
# with clang in build-fuzz/; FUZZ_SECONDS bounds each target's run (60 by default).
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer,
# in a build folder of its own.
.PHONY: test-sanitize
test-sanitize:
	$(MAKE) test BUILD_DIR=build-asan BUILD_TYPE=Debug \
	  CMAKE_FLAGS="$(CMAKE_FLAGS) -DFANOUT_SANITIZE=address,undefined"

# The thread pool's tests under ThreadSanitizer (unit tests of the worker
# pool, function jobs and the threads that read inputs, and the end-to-end
# suite run in the thread pool), in a build folder of its own.
TSAN_TESTS := ^thread_pool\.|^WorkerPool\.|^Console\.|^LoopInbox\.|^RunFunction\.|^FunctionTable\.|^JobWatchTest\.|^Launchers\.|^PoolExecutorTest\.|^CommandLauncher\.|^LineReader|^InputStream
.PHONY: test-tsan
test-tsan:
	$(MAKE) build BUILD_DIR=build-tsan BUILD_TYPE=RelWithDebInfo \
	  CMAKE_FLAGS="$(CMAKE_FLAGS) -DFANOUT_SANITIZE=thread"
	ctest --test-dir build-tsan --output-on-failure --no-tests=error --parallel $(PARALLEL) \
	  -R '$(TSAN_TESTS)'

# What `make format` and `make format-check` need: Debian's clang-format of
# the version the tree is formatted with.
FORMAT_PACKAGES := clang-format-14

# Installs the missing ones through `deps`, with this list for its own.
.PHONY: format-deps
format-deps:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(FORMAT_PACKAGES)"

# Formats every tracked C++ file of src/, include/, tests/ and jobfiles/seed/
# in place, with the repo's .clang-format (tools/format).
.PHONY: format
format: format-deps
	tools/format

# Changes nothing: lists the files that `make format` would change, and fails
# if there are any.
.PHONY: format-check
format-check: format-deps
	tools/format --check

# The SSH suite (tests/ssh/) against an sshd on 127.0.0.1 that
# tests/ssh/up.sh starts (installing openssh-server if missing) and
# tests/ssh/down.sh stops again, also when the suite fails. As root.
.PHONY: test-ssh
test-ssh: build
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="openssh-client perl procps"
	tests/ssh/up.sh
	ctest --test-dir $(BUILD_DIR) --output-on-failure --no-tests=error -L ssh; \
	  status=$$?; tests/ssh/down.sh; exit $$status

# The Debian package (cmake/package.cmake): a Release build for /usr in
# PACKAGE_DIR, then CPack, which computes the dependencies with
# dpkg-shlibdeps (dpkg-dev, and `file` to find the binaries):
# PACKAGE_DIR/fanout_VERSION_ARCH.deb.
PACKAGE_DIR ?= build-package
.PHONY: package
package:
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="dpkg-dev file"
	$(MAKE) build BUILD_DIR=$(PACKAGE_DIR) BUILD_TYPE=Release \
	  CMAKE_FLAGS="$(CMAKE_FLAGS) -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF"
	rm -f $(PACKAGE_DIR)/fanout_*.deb
	cd $(PACKAGE_DIR) && cpack

# The package checked: its files, and the extracted binary run on the demo
# (tests/package/check), then lintian, which fails on errors.
.PHONY: test-package
test-package: package
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="lintian"
	tests/package/check $(PACKAGE_DIR)
	lintian --fail-on error $(PACKAGE_DIR)/fanout_*.deb

install: build
	cmake --install $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
