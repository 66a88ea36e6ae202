# Periscope: `make run` and `make test` are the two commands a user needs.
BUILD_DIR ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
JOBS ?= $(shell nproc)
ARGS ?=
# ccache: hash paths relative to the checkout, so a fresh clone (as CI makes) reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: setup configure build run test bench docs format clean

setup:
	@scripts/setup

$(BUILD_DIR)/build.ninja:
	@cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS) >/dev/null

configure: setup $(BUILD_DIR)/build.ninja

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# make run            all-in-one server (config/all-in-one.yaml)
# make run DEMO=1     same, with a synthetic workload
run: build
	$(BUILD_DIR)/periscope serve $(if $(DEMO),--demo) $(ARGS)

test: build
	@scripts/check-layering
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(ARGS)

bench: build
	@bench/run

docs: build
	@$(BUILD_DIR)/periscope components --markdown > docs/components.md

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
