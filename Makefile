# swmr-tools: swmr-append and swmr-watch.
# Build products go under $(BUILD); `make sanitize` uses build-san.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANPREFIX ?= $(PREFIX)/share/man
# Where the bash-completion package looks for a command's completion
# (pkg-config --variable=completionsdir bash-completion, for PREFIX=/usr).
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR   ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
BUILD   ?= build
VERSION := 0.2.0

# Deferred (=), not immediate: on a fresh machine pkg-config and libhdf5-dev
# arrive only when the `deps` step has run. PKG_CONFIG: a cross build's
# (debhelper passes it).
PKG_CONFIG ?= pkg-config
HDF5_CFLAGS = $(shell $(PKG_CONFIG) --cflags hdf5)
HDF5_LIBS   = $(shell $(PKG_CONFIG) --libs hdf5)

# -Werror only where we promise no warnings (make check, CI): a packager's
# newer compiler may warn where ours does not, and must still build.
WARN        = -Wall -Wextra $(WERROR)
# CPPFLAGS, CFLAGS and LDFLAGS are the builder's (dpkg-buildflags passes
# Debian's hardening in all three: -D_FORTIFY_SOURCE=2 is in CPPFLAGS).
# What the code needs is added around them, never replaced: our headers
# first, then the builder's before HDF5's, and LDFLAGS before HDF5's -L, so
# that `make CPPFLAGS=-I/opt/hdf5/include LDFLAGS=-L/opt/hdf5/lib` builds
# against one HDF5, headers and library (not pkg-config's headers with
# /opt's library); -std=gnu11 after CFLAGS so that no -std there can undo
# it. tests/integration/build_flags.bats checks the order.
ALL_CPPFLAGS = -D_GNU_SOURCE -DSWMR_TOOLS_VERSION='"$(VERSION)"' \
               -Isrc/common $(CPPFLAGS) $(HDF5_CFLAGS)
ALL_CFLAGS  = $(ALL_CPPFLAGS) $(WARN) $(CFLAGS) -std=gnu11
ALL_LDFLAGS = $(LDFLAGS)
LIBS        = $(HDF5_LIBS) -lz -lm

# src/common holds what both tools use; src/<tool>/ a tool's own modules
# and its main.c. Each tool's modules (all but main.c) form a library that
# the tool and the unit tests link, so a module is tested where it lives.
TOOLS      := swmr-append swmr-watch
BINS       := $(addprefix $(BUILD)/,$(TOOLS))
objs        = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(1))
COMMON_LIB := $(BUILD)/libswmrcommon.a
TOOL_LIBS  := $(foreach tool,$(TOOLS),$(BUILD)/lib$(tool).a)
UNIT_OBJ   := $(patsubst tests/unit/%.c,$(BUILD)/obj/unit/%.o,$(wildcard tests/unit/*/*.c))

.PHONY: all check check-long unit integration sanitize valgrind torture fuzz demo install uninstall clean deps
# The top-level targets install missing packages first (deps), then build
# in a second make: so no compile ever starts before the headers exist, and
# no plain compile ever runs apt-get.
all: deps
	@$(MAKE) --no-print-directory $(BINS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# tests/unit/<folder>/ tests src/<folder>/: its headers come first.
$(BUILD)/obj/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) -Isrc/$(firstword $(subst /, ,$*)) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(COMMON_LIB): $(call objs,$(wildcard src/common/*.c))
	@rm -f $@
	$(AR) rcs $@ $^

define tool_rule
$(BUILD)/lib$(1).a: $(call objs,$(filter-out src/$(1)/main.c,$(wildcard src/$(1)/*.c)))
	@rm -f $$@
	$$(AR) rcs $$@ $$^

$(BUILD)/$(1): $(call objs,src/$(1)/main.c) $(BUILD)/lib$(1).a $(COMMON_LIB)
	$$(CC) $$(ALL_CFLAGS) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LIBS)
endef
$(foreach tool,$(TOOLS),$(eval $(call tool_rule,$(tool))))

$(BUILD)/unit-tests: $(UNIT_OBJ) $(TOOL_LIBS) $(COMMON_LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ -lcriterion $(LIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# The one test command: unit and integration tests, one summary line at the end.
# With clang, a short run of the parser's fuzz target too (make fuzz: longer).
# -Werror is make check's promise; a package build passes CHECK_WERROR=
# (see WARN above).
CHECK_WERROR ?= -Werror
check: deps
	@$(MAKE) --no-print-directory WERROR=$(CHECK_WERROR) $(BINS) $(BUILD)/unit-tests \
	    $(if $(FUZZ_CC),$(BUILD)/fuzz-field)
	@BUILD=$(BUILD) tests/run

unit: deps
	@$(MAKE) --no-print-directory $(BUILD)/unit-tests
	$(BUILD)/unit-tests

integration: all
	SWMR_BIN=$(CURDIR)/$(BUILD) bats tests/integration

sanitize:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	$(MAKE) BUILD=build-san CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' check

valgrind: deps
	@$(MAKE) --no-print-directory $(BINS) $(BUILD)/unit-tests
	@BUILD=$(BUILD) SWMR_VALGRIND=1 tests/run

# swmr-watch's shortest float digits against printing and reading back:
# 10M random float32 and float64 bit patterns (make check: 100k of each).
check-long: deps
	@$(MAKE) --no-print-directory $(BUILD)/unit-tests
	SWMR_SHORTEST_SAMPLES=10000000 $(BUILD)/unit-tests --filter 'shortest/*'

# kill -9 at random moments and at every pwrite, failed writes, readers
# polling: a table of scenarios and failures (ROUNDS=200 random kills).
torture: all
	BUILD=$(BUILD) scripts/torture

# The number parser against the C library: 10M random short decimals of
# each float type (make check: 100k), then libFuzzer with ASan and UBSan
# (clang). FUZZ_SECONDS bounds that run; `make check` runs it briefly when
# clang is there.
FUZZ_SECONDS ?= 300
FUZZ_SRC     := tests/fuzz/fuzz_field.c tests/fuzz/general_only.c \
                src/swmr-append/record.c src/common/c_locale.c src/common/types.c
FUZZ_DEPS    := src/swmr-append/record.h src/common/c_locale.h src/common/types.h
# clang with libFuzzer's runtime, or nothing (then make check skips it).
FUZZ_CC       = $(shell printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' \
                  | clang -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null && echo clang)
$(BUILD)/fuzz-field: $(FUZZ_SRC) $(FUZZ_DEPS)
	@mkdir -p $(@D)
	clang -std=gnu11 -Wall -Wextra $(WERROR) -D_GNU_SOURCE -O1 -g \
	    -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -Isrc/common -Isrc/swmr-append $(FUZZ_SRC) -lm -o $@

fuzz: deps
	@$(MAKE) --no-print-directory $(BUILD)/fuzz-field $(BUILD)/unit-tests
	SWMR_RANDOM_VALUES=10000000 $(BUILD)/unit-tests --filter 'field_parse/random_short*'
	@mkdir -p $(BUILD)/fuzz-corpus
	$(BUILD)/fuzz-field -max_total_time=$(FUZZ_SECONDS) -max_len=1024 \
	    -artifact_prefix=$(BUILD)/ $(BUILD)/fuzz-corpus tests/fuzz/seeds

# NO_DEPS=1 (any value): never run scripts/ensure-deps, which calls
# apt-get. For package builds (debian/rules passes it) and for machines
# where the packages come some other way.
NO_DEPS ?=
deps:
	$(if $(NO_DEPS),@:,@scripts/ensure-deps)

demo: all
	@BUILD=$(BUILD) scripts/demo

# One completion file serves both tools: bash-completion loads it by the
# name of the command completed, as swmr-watch or through the link.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 \
	    $(DESTDIR)$(COMPLETIONDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANPREFIX)/man1/
	install -m 644 completion/swmr-tools.bash $(DESTDIR)$(COMPLETIONDIR)/swmr-watch
	ln -sf swmr-watch $(DESTDIR)$(COMPLETIONDIR)/swmr-append

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -f $(addprefix $(DESTDIR)$(MANPREFIX)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(COMPLETIONDIR)/,$(TOOLS))

clean:
	rm -rf build build-san
