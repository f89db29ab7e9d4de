# shipshape - the two commands a newcomer runs: `make demo` and `make test`.
# Everything comes from Debian packages (make deps) and, for the test validators and the
# benchmark peer only, the npm registry (installed under build/npm).

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
MESON      ?= meson
NPM_DIR    := $(BUILD)/npm

# Debian packages: build, libraries (present and planned), tests, fuzzing.
DEB_PKGS := gcc clang make meson ninja-build pkg-config \
	libyaml-dev libcjson-dev libarchive-dev libisal-dev libdeflate-dev libzstd-dev libssl-dev \
	libhyperscan-dev libpcre2-dev libsqlite3-dev liblzma-dev zlib1g-dev libbz2-dev nettle-dev libexpat1-dev \
	libcmocka-dev bats bats-assert bats-support jq bc time libxml2-utils \
	umoci skopeo isal zstd openssl libcap2-bin debootstrap rpm python3 python3-yaml python3-packaging sqlite3 podman-compose \
	golang-go maven zip unzip binutils clang-format composer php-cli \
	libcurl4-openssl-dev apache2-utils curl procps strace man-db
# RubyGems' own gem and Gem::Version: the gem fixtures and the reference the gem order is checked against
DEB_PKGS += ruby
# podman puts images in containers-storage stores (vfs, and overlay through fuse-overlayfs where
# the kernel's does not mount) for the tests that read them
DEB_PKGS += podman fuse-overlayfs

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build demo test test-data unit-test asan-test bats-test format format-check npm-tools bench fuzz docs clean \
	install uninstall

all: build

# Debian's docker-registry (distribution 2.8) for the registry tests, unpacked into the build
# directory and never installed: installing it would start a service on the machine.
REGISTRY_DIR := $(BUILD)/docker-registry
REGISTRY_BIN := $(REGISTRY_DIR)/usr/bin/docker-registry

deps: $(REGISTRY_BIN)
	@missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing$$(echo $$missing | tr '\n' ' ')"; \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; \
	fi

$(REGISTRY_BIN):
	rm -rf $(REGISTRY_DIR).deb && mkdir -p $(REGISTRY_DIR).deb
	cd $(REGISTRY_DIR).deb && { apt-get download docker-registry 2>/dev/null || \
		{ $(SUDO) apt-get update && apt-get download docker-registry; }; }
	dpkg -x $(REGISTRY_DIR).deb/docker-registry_*.deb $(REGISTRY_DIR)
	rm -rf $(REGISTRY_DIR).deb
	@test -x $@ && touch $@

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --werror

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) --werror -Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fno-sanitize-recover=all -Dc_link_args=-fno-sanitize-recover=all

demo: deps build
	@echo "== shipshape lint examples/Dockerfile"
	@./$(BUILD)/shipshape lint examples/Dockerfile; rc=$$?; \
	echo "== exit code $$rc (1: findings at or above --fail-on high)"; \
	echo "== the hardened version:"; ./$(BUILD)/shipshape lint examples/Dockerfile.hardened; \
	echo "== exit code $$?"

npm-tools: $(NPM_DIR)/.installed
$(NPM_DIR)/.installed: tests/npm/package.json
	mkdir -p $(NPM_DIR)
	cp tests/npm/package.json $(NPM_DIR)/
	cd $(NPM_DIR) && npm install --no-audit --no-fund --loglevel=error
	touch $@

unit-test: build
	$(MESON) test -C $(BUILD) --print-errorlogs

asan-test: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1 $(MESON) test -C $(ASAN_BUILD) --print-errorlogs
	SHIPSHAPE=$(CURDIR)/$(ASAN_BUILD)/shipshape NPM_DIR=$(CURDIR)/$(NPM_DIR) tests/run-bats.sh asan tests/bats $(value BATS_FLAGS)

# BATS_FLAGS: more bats arguments, e.g. BATS_FLAGS="-f 'golden: lint-json$'" for one case
bats-test: build npm-tools
	SHIPSHAPE=$(CURDIR)/$(BUILD)/shipshape NPM_DIR=$(CURDIR)/$(NPM_DIR) tests/run-bats.sh normal tests/bats $(value BATS_FLAGS)

# Big fixtures made once and cached outside the clone (~/.cache/shipshape-test): Debian roots
# by debootstrap from Debian's mirror (minbase, and with the packages the image tests need: the
# slim tests' nginx, Flask and Node apps each have a root of their own), a layer of a million
# files. Tests skip without them.
test-data:
	@tests/tools/debian-rootfs.sh
	@tests/tools/debian-rootfs.sh "" urllib3 python3-urllib3
	@tests/tools/debian-rootfs.sh "" secrets python3-flask,gunicorn,python3-cryptography,python3-pip,nodejs,openssl,ca-certificates
	@tests/tools/debian-rootfs.sh "" nginx nginx
	@tests/tools/debian-rootfs.sh "" flask python3-flask,python3-requests,python3-psycopg2,python3-cryptography,ca-certificates
	@tests/tools/debian-rootfs.sh "" node nodejs
	@tests/tools/many-entries.sh

test: deps build npm-tools test-data
	$(MAKE) --no-print-directory format-check
	$(MAKE) --no-print-directory unit-test
	$(MAKE) --no-print-directory bats-test
	$(MAKE) --no-print-directory asan-test

# The C sources in the tree's style (.clang-format), and the check `make test` runs first.
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format: $(words $(FORMAT_FILES)) files in the tree's style"

docs: build
	./$(BUILD)/shipshape rules --markdown > docs/rules.md

# BASELINE=path/to/another/shipshape adds its times, taken in turn with ours, and the ratio.
bench: deps build
	bench/run.sh $(BUILD)/shipshape $(NPM_DIR)
	bench/image.sh $(BUILD)/shipshape
	bench/secrets.sh $(BUILD)/shipshape
	bench/registry.sh $(BUILD)/shipshape
	bench/packages.sh $(BUILD)/shipshape
	bench/vulndb.sh $(BUILD)/shipshape
	bench/slim.sh $(BUILD)/shipshape

$(FUZZ_BUILD)/build.ninja:
	CC=clang $(MESON) setup $(FUZZ_BUILD) -Dfuzz=true -Dtests=false -Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fno-sanitize-recover=all -Dc_link_args=-fno-sanitize-recover=all

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= dockerfile config layer image image-stream version pkgdb feed sbom audit host cache elf reference tarsplit pin rpmmd zip toml secret-config credfiles sandbox-user
# Seconds one input may take before libFuzzer fails the run; the YAML and TOML readers
# have limits (depth, nodes, merged pairs) that keep any 64 KiB input far under theirs, so
# a slow input is a defect, not a slow machine.
FUZZ_TIMEOUT ?= 10
FUZZ_TIMEOUT_YAML ?= 2
fuzz: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus-$$t; \
		case $$t in audit|config|pin|toml) timeout=$(FUZZ_TIMEOUT_YAML);; *) timeout=$(FUZZ_TIMEOUT);; esac; \
		./$(FUZZ_BUILD)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=2048 -timeout=$$timeout \
			$(FUZZ_BUILD)/corpus-$$t fuzz/seeds-$$t || exit 1; \
	done

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, a man page per command and bash,
# zsh and fish completions, generated from the binary's own --help (tools/gen-docs.sh).
PREFIX ?= /usr/local
BINDIR  = $(PREFIX)/bin
MANDIR  = $(PREFIX)/share/man/man1
BASHDIR = $(PREFIX)/share/bash-completion/completions
ZSHDIR  = $(PREFIX)/share/zsh/site-functions
FISHDIR = $(PREFIX)/share/fish/vendor_completions.d

install: build
	tools/gen-docs.sh $(BUILD)/shipshape $(BUILD)/docs
	install -D -m 0755 $(BUILD)/shipshape $(DESTDIR)$(BINDIR)/shipshape
	install -d $(DESTDIR)$(MANDIR)
	install -m 0644 $(BUILD)/docs/man/*.1 $(DESTDIR)$(MANDIR)/
	install -D -m 0644 $(BUILD)/docs/completions/shipshape.bash $(DESTDIR)$(BASHDIR)/shipshape
	install -D -m 0644 $(BUILD)/docs/completions/_shipshape $(DESTDIR)$(ZSHDIR)/_shipshape
	install -D -m 0644 $(BUILD)/docs/completions/shipshape.fish $(DESTDIR)$(FISHDIR)/shipshape.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/shipshape $(DESTDIR)$(MANDIR)/shipshape.1 $(DESTDIR)$(MANDIR)/shipshape-*.1 \
		$(DESTDIR)$(BASHDIR)/shipshape $(DESTDIR)$(ZSHDIR)/_shipshape $(DESTDIR)$(FISHDIR)/shipshape.fish

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
