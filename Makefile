# Installs parley as a self-contained binary: a release build with the Swift runtime and
# Foundation linked in (so the toolchain need not be installed where it runs), stripped, with
# shell completions and a man page, both generated from the command line's own definition.
#
#   make install                    # into /usr/local (bin, share/man, share/…/completions)
#   make install PREFIX=$HOME/.local
#   make install DESTDIR=/tmp/pkg   # staged, for packaging
#   make uninstall PREFIX=…
#
# What the binary still needs from the system: libc, zlib, ncursesw and sqlite3 (and libstdc++
# where the system has no static one to link in).

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
# libstdc++ (the C++ in the Swift runtime, Foundation and ICU) linked in rather than loaded: the
# loader otherwise binds about 470 references to its type-info tables at every start (2 M
# instructions of a one-token `parley ask`'s 46 M). clang looks in this folder, which holds only
# the static library, before its own folders; where the system has no libstdc++.a the folder is
# empty and the shared library is used as before.
STATIC_CXX = $(abspath $(SCRATCH))/static-libstdc++
LIBSTDCXX = -Xswiftc -Xclang-linker -Xswiftc -L$(STATIC_CXX)
# Both builds take the same flags, so neither rebuilds the other's modules.
FLAGS = $(LAYOUT) $(METADATA) $(LIBSTDCXX)

.PHONY: all build install uninstall clean-install

all: build

build:
	@# SwiftPM does not see the order file: when it is newer than the binary, the binary is linked again.
	if [ $(CURDIR)/Benchmarks/functions.order -nt $(SCRATCH)/release/parley ]; then rm -f $(SCRATCH)/release/parley; fi
	mkdir -p $(STATIC_CXX)
	archive="$$(clang -print-file-name=libstdc++.a)"; \
	if [ -f "$$archive" ]; then ln -sf "$$archive" $(STATIC_CXX)/libstdc++.a; else rm -f $(STATIC_CXX)/libstdc++.a; fi
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
