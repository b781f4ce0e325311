# acmetop — build, test, demo, install.
#   make            the acmetop binary (build/acmetop)
#   make check      install missing Debian packages, then every test
#                   (unit + integration under ASan/UBSan, threaded ones under TSan,
#                   the Vault simulator's own tests with real pebble)
#   make demo       install missing packages, build, start the pebble-backed demo
#   make asan|tsan  the C tests under one sanitizer only
#   make bench      speed and memory figures
#   make docs       rewrite the settings lists of the man page and README
#                   from the settings table (src/net/settings_table.c), and
#                   README's sample screen from the real program
#   make install    PREFIX=/usr/local DESTDIR=

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share/acmetop
MANDIR    ?= $(PREFIX)/share/man/man1
BUILD     ?= build
SAN       ?=
CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS      := ncursesw libcurl libcjson openssl ldns

CFLAGS    ?= -g -O2
CFLAGS    += -std=c11 -Wall -Wextra -Werror $(SAN)
CPPFLAGS  += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DACMETOP_VERSION='"$(VERSION)"' \
             -DACMETOP_DATADIR='"$(DATADIR)"' -Isrc $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS    += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -pthread
LDFLAGS   += $(SAN)
TEST_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

LIB_SRC   := $(sort $(wildcard src/model/*.c src/net/*.c src/ui/*.c))
APP_SRC   := $(sort $(wildcard src/*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
INTEG_SRC := $(sort $(wildcard tests/integration/test_*.c))
INTEG_LIB := $(filter-out $(INTEG_SRC),$(wildcard tests/integration/*.c))
PY_SUITES := $(if $(wildcard tests/tui/test_*.py),--python tests/tui)
TEST_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%) $(INTEG_SRC:tests/integration/%.c=$(BUILD)/tests/%)
# Under TSan: where threads meet. Every integration test (worker, responders,
# pre-flight jobs, hooks against real servers) and the unit tests that start
# threads of their own; the others are single-threaded (ASan runs them all).
TSAN_UNIT := test_queue test_deploy_console test_hook_runner
TSAN_BIN  := $(INTEG_SRC:tests/integration/%.c=$(BUILD)/tests/%) $(TSAN_UNIT:%=$(BUILD)/tests/%)

ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TSAN_FLAGS := -fsanitize=thread

.PHONY: FORCE all deps check check-bins check-bins-app check-bins-asan check-bins-tsan check-bins-fuzz check-fuzz-1 check-fuzz-2 test-bins tsan-bins asan tsan demo bench docs install uninstall clean soak fuzz fuzz-smoke

all: $(BUILD)/acmetop

# V=1 shows the whole compiler command lines.
Q := $(if $(V),,@)

$(BUILD)/acmetop: $(APP_SRC:src/%.c=$(BUILD)/obj/%.o) $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Objects are rebuilt when the flags change (PREFIX moves the theme directory).
$(BUILD)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CPPFLAGS) $(CFLAGS)' | cmp -s - $@ || echo '$(CPPFLAGS) $(CFLAGS)' > $@

$(BUILD)/obj/%.o: src/%.c $(BUILD)/flags
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(@D)
	@echo "  CC LD   $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

$(BUILD)/tests/%: tests/integration/%.c $(INTEG_LIB) $(LIB_OBJ)
	@mkdir -p $(@D)
	@echo "  CC LD   $@"
	$(Q)$(CC) $(CPPFLAGS) -Itests/integration $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)

test-bins: $(TEST_BIN) $(BUILD)/acmetop

tsan-bins: $(TSAN_BIN)

deps:
	@sh scripts/setup

# One run, one summary line: every C test under ASan/UBSan, every one again
# under TSan, the simulator's, command-line and terminal tests; then each
# fuzzing harness briefly.  The four builds share the cores (one jobserver);
# the test programs run CHECK_JOBS at a time (most of them wait on a
# simulator, a timer or a terminal rather than compute), after the
# CHECK_ALONE ones, which count cycles over a window of time and run with
# nothing beside them (tests/run-suite --alone).
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CHECK_JOBS ?= 4
CHECK_ALONE := test_idle_budget

check: deps
	$(MAKE) --no-print-directory -j$(JOBS) check-bins
	ACMETOP_BIN=build/asan/acmetop tests/run-suite --jobs $(CHECK_JOBS) \
	    $(CHECK_ALONE:%=--alone %) --c build/asan/tests --tsan build/tsan/tests \
	    --python tests/vaultsim --python tests/cli $(PY_SUITES)
	$(MAKE) --no-print-directory -j$(JOBS) check-fuzz-1 check-fuzz-2

check-bins: check-bins-app check-bins-asan check-bins-tsan check-bins-fuzz
check-bins-app:
	$(MAKE) --no-print-directory all
check-bins-asan:
	$(MAKE) --no-print-directory BUILD=build/asan SAN="$(ASAN_FLAGS)" test-bins
check-bins-tsan:
	$(MAKE) --no-print-directory BUILD=build/tsan SAN="$(TSAN_FLAGS)" tsan-bins
check-bins-fuzz:
	$(MAKE) --no-print-directory fuzz-bins
# fuzz-smoke in two halves, side by side (each harness uses one core)
FUZZ_HALF = $(shell echo $$(( ($(words $(FUZZ_NAMES)) + 1) / 2 )))
check-fuzz-1:
	@tests/fuzz/run --smoke $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS) $(wordlist 1,$(FUZZ_HALF),$(FUZZ_NAMES))
check-fuzz-2:
	@tests/fuzz/run --smoke $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS) \
	    $(wordlist $(shell echo $$(( $(FUZZ_HALF) + 1 ))),$(words $(FUZZ_NAMES)),$(FUZZ_NAMES))

asan: deps
	$(MAKE) --no-print-directory BUILD=build/asan SAN="$(ASAN_FLAGS)" test-bins
	ACMETOP_BIN=build/asan/acmetop tests/run-suite --c build/asan/tests --python tests/cli

tsan: deps
	$(MAKE) --no-print-directory BUILD=build/tsan SAN="$(TSAN_FLAGS)" tsan-bins
	tests/run-suite --tsan build/tsan/tests

demo: deps all
	scripts/demo $(BUILD)/acmetop

bench: deps all
	tests/bench/run $(BUILD)/acmetop

# Ten minutes of the console in tmux against the simulator under a schedule
# of faults (Vault down, 5xx, 429, latency, drops, bad JSON, huge bodies,
# token revoked, sealed); one line of figures per fault.  Not in make check.
soak: deps all
	tests/soak/run $(BUILD)/acmetop

# libFuzzer harnesses (clang): make fuzz FUZZ_SECONDS=60
-include tests/fuzz/fuzz.mk

docs: $(BUILD)/tests/test_settings_table $(BUILD)/acmetop
	scripts/settings-docs $<
	ACMETOP_BIN=$(BUILD)/acmetop tests/tui/readme_screen.py --write

THEMES    := $(wildcard themes/*.theme)
MANPAGE   := $(wildcard doc/acmetop.1)

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BUILD)/acmetop $(DESTDIR)$(BINDIR)/acmetop
ifneq ($(THEMES),)
	install -d $(DESTDIR)$(DATADIR)/themes
	install -m 0644 $(THEMES) $(DESTDIR)$(DATADIR)/themes/
endif
ifneq ($(MANPAGE),)
	install -d $(DESTDIR)$(MANDIR)
	install -m 0644 $(MANPAGE) $(DESTDIR)$(MANDIR)/acmetop.1
endif

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/acmetop $(DESTDIR)$(MANDIR)/acmetop.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/obj/*.d)

.SECONDARY:
