// SPDX-License-Identifier: GPL-2.0
/*
 * Runs micromine subcommands one after another in one process, so that a
 * single valgrind run checks all of them for leaks and memory errors:
 * valgrind's own start costs some 15 s in an emulated guest, per process.
 *
 * stdin: one command line per line, words separated by spaces, without
 * the leading "micromine".  stdout: each command's output, then a line
 * "== exit N" with its exit code.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "micromine.h"

#define MAX_WORDS 64

int main(void)
{
	char *line = NULL, *argv[MAX_WORDS + 2], *save;
	size_t size = 0;
	int argc, rc;

	while (getline(&line, &size, stdin) > 0) {
		argc = 0;
		argv[argc++] = "micromine";
		for (char *w = strtok_r(line, " \t\n", &save); w && argc <= MAX_WORDS;
		     w = strtok_r(NULL, " \t\n", &save))
			argv[argc++] = w;
		argv[argc] = NULL;
		optind = 0;	/* glibc: start getopt afresh */
		rc = mm_dispatch(argc, argv);
		fflush(stderr);
		printf("== exit %d\n", rc);
		fflush(stdout);
	}
	free(line);
	return 0;
}
