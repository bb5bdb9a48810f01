# swmr-tools: swmr-append and swmr-watch.
# Build products go under $(BUILD); `make sanitize` uses build-san.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR   ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
BUILD   ?= build
VERSION := 0.1.0

# Deferred (=), not immediate: on a fresh machine pkg-config and libhdf5-dev
# arrive only when the `deps` step has run.
HDF5_CFLAGS = $(shell pkg-config --cflags hdf5)
HDF5_LIBS   = $(shell pkg-config --libs hdf5)

ALL_CFLAGS  = -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
              -DSWMR_TOOLS_VERSION='"$(VERSION)"' \
              -Isrc/common $(HDF5_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
LIBS        = $(HDF5_LIBS) -lm

TOOLS      := $(notdir $(wildcard src/swmr-*))
COMMON_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(wildcard src/common/*.c))
UNIT_OBJ   := $(patsubst tests/unit/%.c,$(BUILD)/obj/unit/%.o,$(wildcard tests/unit/*.c))
BINS       := $(addprefix $(BUILD)/,$(TOOLS))

.PHONY: all check unit integration sanitize valgrind torture demo install uninstall clean deps
all: $(BINS)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/common/*.h src/swmr-*/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/unit/%.o: tests/unit/%.c $(wildcard src/common/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libswmrcommon.a: $(COMMON_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# Each tool is every .c file in src/<tool>/ linked against the common library.
define tool_rule
$(BUILD)/$(1): $(patsubst src/%.c,$(BUILD)/obj/%.o,$(wildcard src/$(1)/*.c)) $(BUILD)/libswmrcommon.a
	$$(CC) $$(ALL_CFLAGS) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LIBS)
endef
$(foreach tool,$(TOOLS),$(eval $(call tool_rule,$(tool))))

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libswmrcommon.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ -lcriterion $(LIBS)

# The one test command: unit and integration tests, one summary line at the end.
check: $(BINS) $(BUILD)/unit-tests
	@BUILD=$(BUILD) tests/run

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

integration: $(BINS)
	SWMR_BIN=$(CURDIR)/$(BUILD) bats tests/integration

sanitize:
	$(MAKE) BUILD=build-san CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' check

valgrind: $(BINS) $(BUILD)/unit-tests
	@BUILD=$(BUILD) SWMR_VALGRIND=1 tests/run

# kill -9 at random moments and at every pwrite, failed writes, readers
# polling: a table of scenarios and failures (ROUNDS=200 random kills).
torture: $(BINS)
	BUILD=$(BUILD) scripts/torture

deps:
	@scripts/ensure-deps

demo: $(BINS)
	@BUILD=$(BUILD) scripts/demo

install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANPREFIX)/man1/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -f $(addprefix $(DESTDIR)$(MANPREFIX)/man1/,$(notdir $(wildcard man/*.1)))

clean:
	rm -rf build build-san
