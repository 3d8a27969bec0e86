# Thin wrapper over CMake so that the usual commands just work.
#   make        build build/sayso and build/libsayso.a
#   make test   build and run every test (ctest)
#   make demo   extract quotations from the bundled sample articles
#   make bench  measure extraction speed on a ~100 MB corpus (needs ../shared)
#   make bench-store  ingest speed, and search latency on a store of a
#               million quotations (builds it once: minutes, ~4 GB on disk)
#   make bench-warc   `sayso read` and `sayso extract` on WARC crawls of the
#               Readability test pages (needs ../shared), 1 and 2 threads
#   make bench-serve  requests/s and latency per kind of request of sayso serve on
#               the demo store and the big one of bench-store (bench/serve.sh)
#   make asan   build and test with AddressSanitizer + UBSan in build-asan/
#   make fuzz   build the libFuzzer targets with clang in build-fuzz/ and run
#               each for FUZZ_SECONDS (default 120) from fuzz/seeds/ (clang's
#               warnings do not stop it: -Werror is the gcc build's job)
#   make model  retrain models/*.model from ../shared (deterministic: reproduces
#               the committed files), then rebuild with them
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 120
MAKEFLAGS += --no-print-directory

.PHONY: all deps test demo bench bench-store bench-warc bench-serve asan fuzz model clean
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

bench-warc: all
	@sh bench/warc.sh $(BUILD)/sayso

bench-serve: all
	@sh bench/serve.sh $(BUILD)/sayso

model: all
	@sh scripts/train-models.sh $(BUILD)/sayso
	@cmake --build $(BUILD) -j $(JOBS)

asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSAYSO_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

fuzz:
	@sh scripts/deps.sh --fuzz
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DSAYSO_FUZZ=ON \
		-DSAYSO_WERROR=OFF -DBUILD_TESTING=OFF >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target sayso_fuzz
	@sh fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
