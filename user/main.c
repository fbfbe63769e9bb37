// SPDX-License-Identifier: GPL-2.0
/*
 * micromine's entry point; the rest of the tool is also linked into test
 * programs that run its subcommands.
 */

#include "micromine.h"

int main(int argc, char *argv[])
{
	return mm_dispatch(argc, argv);
}
