# pactum: the two commands are `make run` and `make test`. Everything else is here for
# developers. Each target installs missing Debian packages first (scripts/install-deps).

BUILD    ?= build/release
SANITIZE ?= build/sanitize
JOBS     ?= $(shell nproc)
LISTEN   ?= 127.0.0.1:7700
DATA     ?= ./var
CTEST    := ctest --output-on-failure --timeout 600 -j$(JOBS)

.PHONY: all deps node-deps build run test test-sanitize bench format clean

all: build

deps:
	@scripts/install-deps

# The Node peers (cedar-wasm) the differential tests compare against; their tests skip where
# Node.js is absent.
node-deps:
	@if command -v npm >/dev/null && [ ! -d bench/cedar/node_modules ]; then \
	  (cd bench/cedar && npm ci --no-audit --no-fund --loglevel=error); fi

# The benchmarks are built by `make bench` only: `make run` and `make test` do not need them.
build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPACTUM_BENCH=OFF >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# Builds Release and serves the API on $(LISTEN) with its data in $(DATA), with the SOC workspace
# (examples/soc) published and simulated SOC traffic streaming through it (scripts/demo). The
# first start on a new data folder writes a bootstrap admin key to $(DATA)/serve.out.
run: build
	@scripts/demo $(BUILD)/pactum $(LISTEN) $(DATA)

test: build node-deps
	cd $(BUILD) && $(CTEST)

# The same suite, built with AddressSanitizer and UndefinedBehaviorSanitizer (at -O1, as ASan
# recommends, with line tables only: enough for readable reports, quicker to build).
test-sanitize: deps node-deps
	@cmake -S . -B $(SANITIZE) -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" -DPACTUM_SANITIZE=ON -DPACTUM_BENCH=OFF >/dev/null
	@cmake --build $(SANITIZE) -j$(JOBS)
	cd $(SANITIZE) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 $(CTEST)

# Benchmarks (see docs/PERFORMANCE.md).
bench: deps
	@scripts/install-deps --bench
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPACTUM_BENCH=ON >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)
	bench/run-all $(BUILD)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build
