# Thin wrapper: the real build is CMake (CMakeLists.txt), set-up is scripts/setup.sh, tests run under CTest.
#   make run        set up, build, create var/ltci.db with demo data if absent, serve on http://127.0.0.1:8080
#   make test       set up, build, run every test (unit, API on SQLite and PostgreSQL, browser)
#   make test-asan  the unit and API tests again on an AddressSanitizer + UndefinedBehaviorSanitizer build
#   make bench      the benchmarks in bench/ (not part of the tests)
.PHONY: all setup run test test-asan bench clean

BUILD ?= build
JOBS ?= 2

all: setup

setup:
	@scripts/setup.sh --build-dir $(BUILD)

run: setup
	@scripts/run.sh $(BUILD)

test: setup
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900

test-asan:
	@scripts/setup.sh --no-web --build-dir build-asan --cmake-args "-DLTCI_SANITIZE=ON -DLTCI_E2E=OFF"
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS) --timeout 900 -LE e2e

bench: setup
	@bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan
