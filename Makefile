# Installs parley as a self-contained binary: a release build with the Swift runtime and
# Foundation linked in (so the toolchain need not be installed where it runs), stripped, with
# shell completions and a man page, both generated from the command line's own definition.
#
#   make install                    # into /usr/local (bin, share/man, share/…/completions)
#   make install PREFIX=$HOME/.local
#   make install DESTDIR=/tmp/pkg   # staged, for packaging
#   make uninstall PREFIX=…
#
# What the binary still needs from the system: libc, libstdc++, zlib, ncursesw and sqlite3.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

# Where SwiftPM builds (`make install SCRATCH=.build-release` keeps a debug tree untouched).
SCRATCH ?= .build
STAGE = $(SCRATCH)/install
# The man page carries the date of the last commit, so the same source gives the same page.
DATE := $(shell git log -1 --format=%cs 2>/dev/null || date +%F)

# Each function in a section of its own, and those a run of the app uses laid out together
# (listed by Benchmarks/function-order; gold, the linker Swift uses on Linux, takes the list as a
# section order). The kernel maps the executable's code 64 KB around each page touched, and the
# code a run needs, scattered through 32 MB, made the app's peak memory mostly code it never ran.
LAYOUT = -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections \
	-Xlinker --section-ordering-file=$(CURDIR)/Benchmarks/functions.order
# A generic type's metadata made through its accessor, given the witness tables the compiler
# already knows (`Dictionary<String, X>`'s `String: Hashable`), rather than from its mangled name,
# which the runtime reads at the first use and then looks up each conformance the name needs by
# walking every conformance record in the binary (10,725; about 0.7 M instructions a walk).
# Those walks were three quarters of a one-token `parley ask`'s instructions; this takes away a
# third of them (the whole run: 65.9 M instructions → 46.6 M) for 0.3 MB more code.
METADATA = -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
# Both builds take the same flags, so neither rebuilds the other's modules.
FLAGS = $(LAYOUT) $(METADATA)

.PHONY: all build install uninstall clean-install

all: build

build:
	@# SwiftPM does not see the order file: when it is newer than the binary, the binary is linked again.
	if [ $(CURDIR)/Benchmarks/functions.order -nt $(SCRATCH)/release/parley ]; then rm -f $(SCRATCH)/release/parley; fi
	swift build --scratch-path $(SCRATCH) -c release --static-swift-stdlib --product parley $(FLAGS)
	swift build --scratch-path $(SCRATCH) -c release --static-swift-stdlib --product generate-manual $(FLAGS)
	rm -rf $(STAGE)
	mkdir -p $(STAGE)
	cp $(SCRATCH)/release/parley $(STAGE)/parley
	strip $(STAGE)/parley
	$(STAGE)/parley --generate-completion-script bash > $(STAGE)/parley.bash
	$(STAGE)/parley --generate-completion-script zsh > $(STAGE)/_parley
	$(STAGE)/parley --generate-completion-script fish > $(STAGE)/parley.fish
	$(SCRATCH)/release/generate-manual $(STAGE)/parley --date $(DATE) --output-directory $(STAGE)

install: build
	install -d $(BINDIR) $(MANDIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -m 755 $(STAGE)/parley $(BINDIR)/parley
	install -m 644 $(STAGE)/parley.1 $(MANDIR)/parley.1
	install -m 644 $(STAGE)/parley.bash $(BASHDIR)/parley
	install -m 644 $(STAGE)/_parley $(ZSHDIR)/_parley
	install -m 644 $(STAGE)/parley.fish $(FISHDIR)/parley.fish

uninstall:
	rm -f $(BINDIR)/parley $(MANDIR)/parley.1 $(BASHDIR)/parley $(ZSHDIR)/_parley $(FISHDIR)/parley.fish

clean-install:
	rm -rf $(STAGE)
