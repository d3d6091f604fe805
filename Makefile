# The two quick-start commands (see README.md):
#   make serve   install what is missing, build, start the server with the demo data
#   make test    install what is missing, build, run every test (plain and ASan/UBSan builds)
#                and the concurrent parts' tests under ThreadSanitizer
.PHONY: all deps build build-sanitize build-tsan test test-plain test-sanitize test-tsan serve \
        bench lint-proto clean

BUILD_DIR      ?= build
SANITIZE_DIR   ?= build-sanitize
TSAN_DIR       ?= build-tsan
# What the tests labelled "tsan" need (their programs build the server and plugins they use):
# the store, the evaluator host and call runner, the domain with its rating jobs, the servers.
TSAN_TARGETS   ?= store_test evaluators_test domain_test server_api_test server_ratings_api_test
JOBS           ?= $(shell nproc)
DB             ?= var/torikumi.db
LISTEN         ?= 127.0.0.1:50051
HTTP_LISTEN    ?= 127.0.0.1:8080
CTEST_FLAGS    ?= --output-on-failure -j $(JOBS)

all: build

deps:
	@bash scripts/install-deps.sh
	@bash scripts/install-buf.sh $(BUILD_DIR)/tools

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTORIKUMI_BUF=$(abspath $(BUILD_DIR))/tools/node_modules/.bin/buf
	cmake --build $(BUILD_DIR) -j $(JOBS)

build-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=Debug -DTORIKUMI_SANITIZE=ON -DTORIKUMI_BUF=$(abspath $(BUILD_DIR))/tools/node_modules/.bin/buf
	cmake --build $(SANITIZE_DIR) -j $(JOBS)

# Only the targets TSan needs: the whole tree (benchmarks, CLI, fuzzers) would double the time.
build-tsan: deps
	cmake -S . -B $(TSAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTORIKUMI_TSAN=ON -DTORIKUMI_BUF=$(abspath $(BUILD_DIR))/tools/node_modules/.bin/buf
	cmake --build $(TSAN_DIR) -j $(JOBS) --target $(TSAN_TARGETS)

test-plain: build
	ctest --test-dir $(BUILD_DIR) $(CTEST_FLAGS)

test-sanitize: build-sanitize
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp) UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(SANITIZE_DIR) $(CTEST_FLAGS)

# halt_on_error: the first race fails its test instead of scrolling by in a passing one.
# Debian's Abseil, gRPC and protobuf are not built for TSan: calls from inside them are not
# checked, and tests/tsan.supp says which of gRPC's inline hand-overs are suppressed and why.
test-tsan: build-tsan
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$(abspath tests/tsan.supp) \
	  ctest --test-dir $(TSAN_DIR) -L tsan $(CTEST_FLAGS)

test: test-plain test-sanitize test-tsan

serve: build
	@mkdir -p $(dir $(DB))
	bash scripts/serve.sh $(BUILD_DIR)/bin $(DB) $(LISTEN) $(HTTP_LISTEN)

# The load driver (README, "Performance"): every figure beside its floor, in a few minutes.
# BENCH_FLAGS passes flags on, e.g. BENCH_FLAGS="--plans=200 --seconds=10".
BENCH_FLAGS    ?=
bench: build
	$(BUILD_DIR)/bin/load_bench $(BENCH_FLAGS)

lint-proto: deps
	cd proto && $(abspath $(BUILD_DIR))/tools/node_modules/.bin/buf lint
	cd plugins && $(abspath $(BUILD_DIR))/tools/node_modules/.bin/buf lint

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(TSAN_DIR)
