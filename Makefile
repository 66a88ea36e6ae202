# Periscope: `make run` and `make test` are the two commands a user needs.
BUILD_DIR ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
JOBS ?= $(shell nproc)
ARGS ?=
# ccache: hash paths relative to the checkout, so a fresh clone (as CI makes) reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: setup configure build run test bench docs fuzz format clean

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

# make test              everything, then the unit/fuzz-replay/integration suites again under
#                         ASan + UBSan (build-asan/, scripts/test-sanitizers)
# make test SANITIZE=0    skip the sanitizer leg (quick local iterations)
SANITIZE ?= 1
test: build
	@scripts/check-layering
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(ARGS)
ifneq ($(SANITIZE),0)
	@JOBS=$(JOBS) scripts/test-sanitizers
endif

bench: build
	@bench/run

# make fuzz [FUZZ_SECONDS=60]: clang + libFuzzer + ASan/UBSan, each target for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz: setup
	@cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DPERISCOPE_FUZZ=ON -DPERISCOPE_BUILD_TESTS=OFF -DPERISCOPE_BUILD_BENCH=OFF >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target otlp_proto_fuzz otlp_json_fuzz config_fuzz segment_fuzz segment_columns_fuzz queue_segment_fuzz promql_fuzz
	@for t in otlp_proto_fuzz otlp_json_fuzz config_fuzz segment_fuzz segment_columns_fuzz queue_segment_fuzz promql_fuzz; do \
	  mkdir -p build-fuzz/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  build-fuzz/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=2048 \
	    build-fuzz/corpus/$$t tests/fuzz/corpus/$$t > build-fuzz/$$t.log 2>&1 \
	    || { tail -40 build-fuzz/$$t.log; exit 1; }; \
	  tail -1 build-fuzz/$$t.log; \
	done

docs: build
	@$(BUILD_DIR)/periscope components --markdown > docs/components.md

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
