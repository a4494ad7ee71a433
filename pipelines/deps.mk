# Dependencies are Debian packages (README "Dependencies"); each list says
# what it is for.  pipelines/apt-install installs only what is missing.
#   libcsv-dev       all CSV parsing            jq          models (model.jq)
#   libssl-dev       HMAC-SHA-256 pseudonyms    libxml2-dev PEPPOL e-invoices
#   libxlsxwriter-dev Excel workbooks        bc          exact pot totals (make run)
#   openssl          summary.json's sha256 (make run)
DEPS_PKGS	= gcc make libc6-dev pkg-config libcsv-dev jq libssl-dev \
		  libxml2-dev libxlsxwriter-dev bc openssl
#   bats*            the suite                  libxml2-utils xmllint
#   chromium         HTML reports checked       libreoffice-calc-nogui xlsx checked
#   miller mawk      benchmark peers            bc     exact reference sums
#   locales          sv_SE.UTF-8 for determinism tests
#   clang libclang-rt-14-dev  libFuzzer         valgrind  memory checks
#   unzip perl       xlsx unpacked          openssl xxd  pseudonyms recomputed
#   time             benchmarks' peak memory
TEST_PKGS	= bats bats-assert bats-support libxml2-utils chromium \
		  libreoffice-calc-nogui miller mawk bc locales clang \
		  libclang-rt-14-dev valgrind unzip \
		  openssl xxd perl time

deps:
	@pipelines/apt-install $(DEPS_PKGS)

test-deps:
	@pipelines/apt-install $(TEST_PKGS)
	@pipelines/locale-gen-sv

.PHONY: deps test-deps
