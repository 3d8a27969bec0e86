# Thin wrapper over CMake so that the usual commands just work.
#   make        build build/sayso and build/libsayso.a
#   make test   build and run every test (ctest)
#   make demo   extract quotations from the bundled sample articles
#   make bench  measure extraction speed on a ~100 MB corpus (needs ../shared)
#   make bench-store  ingest speed, and search latency on a store of a
#               million quotations (builds it once: minutes, ~4 GB on disk)
#   make bench-serve  HTTP requests/s and latency of sayso serve with wrk (5 min)
#   make asan   build and test with AddressSanitizer + UBSan in build-asan/
#   make model  retrain models/*.model from ../shared (deterministic: reproduces
#               the committed files), then rebuild with them
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS += --no-print-directory

.PHONY: all deps test demo bench bench-store bench-serve asan model clean
all: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

deps:
	@sh scripts/deps.sh

test: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: all
	@sh samples/demo.sh $(BUILD)/sayso

bench: all
	@sh bench/run.sh $(BUILD)/sayso

bench-store: all
	@sh bench/store.sh $(BUILD)/sayso

bench-serve: all
	@sh bench/serve.sh $(BUILD)/sayso

model: all
	@sh scripts/train-models.sh $(BUILD)/sayso
	@cmake --build $(BUILD) -j $(JOBS)

asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSAYSO_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) build-asan
