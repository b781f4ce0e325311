# tests/fuzz/fuzz.mk: the libFuzzer harnesses (included by the Makefile).
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_ONLY="fuzz_theme fuzz_config"]
#       build every harness (clang, -fsanitize=fuzzer,address,undefined), run
#       each for FUZZ_SECONDS on its seed corpus (new inputs go to a scratch
#       directory under build/fuzz/run, never into the tree), one line each:
#       execs/s, coverage (cov:, ft:), corpus size, crashes.  Fails on a crash.
#   make fuzz-smoke
#       each harness over its seed corpus, then 2 s of fuzzing (part of make check,
#       about 40 s for all).
# The library sources are compiled again with clang into build/fuzz/obj
# (instrumented for coverage, apart from gcc's objects) and put in an archive,
# so each harness links only the objects it uses.

FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_SMOKE_SECONDS ?= 2
FUZZ_BUILD    := build/fuzz
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS   := -std=c11 -Wall -Wextra -Werror -g -O1 $(FUZZ_SAN)
FUZZ_CPPFLAGS  = $(CPPFLAGS)
FUZZ_LDLIBS    = $(LDLIBS)

# The engine and the model (every parser of foreign bytes lives there), and
# the theme parser of the console (no curses in it).
FUZZ_LIB_SRC  := $(sort $(wildcard src/model/*.c src/net/*.c)) src/ui/theme.c
FUZZ_LIB_OBJ  := $(FUZZ_LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_SRC      := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES    := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_BIN      := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/bin/%)
FUZZ_ONLY     ?= $(FUZZ_NAMES)

$(FUZZ_BUILD)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS)' | cmp -s - $@ || \
	    echo '$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS)' > $@

$(FUZZ_BUILD)/obj/%.o: src/%.c $(FUZZ_BUILD)/flags
	@mkdir -p $(@D)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/libacmetop.a: $(FUZZ_LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/bin/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) $(FUZZ_BUILD)/libacmetop.a
	@mkdir -p $(@D)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CPPFLAGS) -Itests/fuzz $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ_BUILD)/libacmetop.a $(FUZZ_LDLIBS)

fuzz-bins: $(FUZZ_BIN)

fuzz: deps
	$(MAKE) --no-print-directory fuzz-bins
	@tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_ONLY)

fuzz-smoke: fuzz-bins
	@tests/fuzz/run --smoke $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS) $(FUZZ_ONLY)

.PHONY: fuzz-bins

-include $(wildcard $(FUZZ_BUILD)/obj/*/*.d)
