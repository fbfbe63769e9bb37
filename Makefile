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

.PHONY: all module tool install modules_install tool_install clean check \
	check-selftest bench demo regen deps help

all: tool
ifneq ($(wildcard $(KDIR)/Makefile),)
all: module
else
all:
	@echo "note: no kernel build directory at $(KDIR): module not built" \
		"(install the kernel headers or pass KDIR=)"
endif

module:
	$(MODULE_BUILD) modules

tool:
	$(MAKE) -C user

install: modules_install tool_install

tool_install:
	$(MAKE) -C user install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

modules_install: module
	$(MODULE_BUILD) modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) \
		$$($(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null || uname -r)

# Not Kbuild's clean: it deletes every *.ko below M, the test cache's too.
clean:
	$(MAKE) -C user clean
	rm -f micromine.ko micromine.mod micromine.mod.c micromine.mod.o micromine.o \
		Module.symvers modules.order .*.cmd kmod/*.o kmod/.*.cmd
	rm -rf .tmp_versions

# All tests: host suites, then every kernel of the matrix under QEMU.
# KERNELS="6.1 6.12" runs a subset; see tests/harness/kernels.conf.
check:
	$(if $(KERNELS),KERNELS="$(KERNELS)") $(HARNESS)/check.sh

check-selftest:
	$(HARNESS)/selftest.sh $(or $(firstword $(KERNELS)),6.12)

# The uAPI header from the netlink spec (the result is committed).
regen:
	$(HARNESS)/regen.sh

# Figures, not tests: hash rates against OpenSSL measured in the same run.
bench:
	$(HARNESS)/bench.sh

# micromine mining in a QEMU guest (or here, HOST=1) for about a minute.
# KERNEL=6.1 ARCH=arm64|armhf|mipsel|riscv64|s390x SECONDS=30 POOL=stratum+tcp://host:port
# POOL_USER=account.worker POOL_PASS=x
demo:
	DEMO_KERNEL='$(KERNEL)' DEMO_ARCH='$(filter arm64 armhf mipsel riscv64 s390x,$(ARCH))' \
	DEMO_SECONDS='$(SECONDS)' DEMO_POOL='$(POOL)' DEMO_POOL_USER='$(POOL_USER)' \
	DEMO_POOL_PASS='$(POOL_PASS)' DEMO_HOST='$(if $(filter 1 yes,$(HOST)),1)' $(HARNESS)/demo.sh

deps:
	$(HARNESS)/deps.sh check

help:
	@echo "make                 module (for KDIR) and the micromine tool"
	@echo "make KDIR=<dir>      ... for another kernel; cross: ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
	@echo "make tool            the micromine tool only (user/micromine)"
	@echo "make install         module (with depmod), tool, man page, bash completion"
	@echo "make demo            see it mine: a QEMU guest, a local pool, a live view (SECONDS=,"
	@echo "                     KERNEL=6.1, ARCH=arm64|armhf|mipsel|riscv64|s390x, POOL=url"
	@echo "                     POOL_USER= POOL_PASS=, HOST=1)"
	@echo "make check           all tests (KERNELS=\"6.1 6.12\" for a subset)"
	@echo "make check-selftest  the test harness tests itself"
	@echo "make regen           include/uapi/linux/micromine.h from the netlink spec"
	@echo "make bench           hash rates (ratios against OpenSSL in the same run)"
	@echo "make deps            install the Debian packages the tests need"
