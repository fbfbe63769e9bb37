// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test: loading this module prints a kernel WARNING, which
 * must fail a guest run even when every test passed.
 */

#include <linux/bug.h>
#include <linux/module.h>

static int __init mm_harness_warn_init(void)
{
	WARN(1, "micromine harness self-test: deliberate warning\n");
	return 0;
}

static void __exit mm_harness_warn_exit(void)
{
}

module_init(mm_harness_warn_init);
module_exit(mm_harness_warn_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("micromine test harness self-test: a deliberate WARN");
