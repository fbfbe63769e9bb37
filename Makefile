# SPDX-License-Identifier: GPL-2.0
#
# micromine: build, install and test.  `make help` lists the targets.

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
DESTDIR ?=
PYTHON ?= /usr/bin/python3
KERNELS ?=

HARNESS := tests/harness
MODULE_BUILD := $(MAKE) -C $(KDIR) M=$(CURDIR)

.PHONY: all module install modules_install clean check \
	check-selftest bench demo regen deps help

all:
ifneq ($(wildcard $(KDIR)/Makefile),)
all: module
else
all:
	@echo "note: no kernel build directory at $(KDIR): module not built" \
		"(install the kernel headers or pass KDIR=)"
endif

module:
	$(MODULE_BUILD) modules

install: modules_install

modules_install: module
	$(MODULE_BUILD) modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) \
		$$($(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null || uname -r)

clean:
	-$(if $(wildcard $(KDIR)/Makefile),$(MODULE_BUILD) clean)

# All tests: host suites, then every kernel of the matrix under QEMU.
# KERNELS="6.1 6.12" runs a subset; see tests/harness/kernels.conf.
check:
	$(if $(KERNELS),KERNELS="$(KERNELS)") $(HARNESS)/check.sh

check-selftest:
	$(HARNESS)/selftest.sh $(or $(firstword $(KERNELS)),6.12)

# Figures, not tests: hash rates against OpenSSL measured in the same run.
bench:
	$(HARNESS)/bench.sh

deps:
	$(HARNESS)/deps.sh check

help:
	@echo "make                 module (for KDIR) and the micromine tool"
	@echo "make KDIR=<dir>      ... for another kernel; cross: ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
	@echo "make install         module (with depmod), tool, man page, bash completion"
	@echo "make check           all tests (KERNELS=\"6.1 6.12\" for a subset)"
	@echo "make check-selftest  the test harness tests itself"
	@echo "make bench           hash rates (ratios against OpenSSL in the same run)"
	@echo "make deps            install the Debian packages the tests need"
