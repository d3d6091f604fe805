# The two quick-start commands (see README.md):
#   make serve   install what is missing, build, start the server with the demo data
#   make test    install what is missing, build, run every test (plain and ASan/UBSan builds)
.PHONY: all deps build build-sanitize test test-plain test-sanitize serve lint-proto clean

BUILD_DIR      ?= build
SANITIZE_DIR   ?= build-sanitize
JOBS           ?= $(shell nproc)
DB             ?= var/torikumi.db
LISTEN         ?= 127.0.0.1:50051
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

test-plain: build
	ctest --test-dir $(BUILD_DIR) $(CTEST_FLAGS)

test-sanitize: build-sanitize
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(SANITIZE_DIR) $(CTEST_FLAGS)

test: test-plain test-sanitize

serve: build
	@mkdir -p $(dir $(DB))
	bash scripts/serve.sh $(BUILD_DIR)/bin $(DB) $(LISTEN)

lint-proto: deps
	cd proto && $(abspath $(BUILD_DIR))/tools/node_modules/.bin/buf lint

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR)
