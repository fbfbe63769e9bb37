// SPDX-License-Identifier: GPL-2.0
/*
 * micromine set: change settings, all of them or none (config-set).
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "micromine.h"

static const char usage[] =
	"Usage: micromine set SETTING VALUE [SETTING VALUE ...]\n"
	"\n"
	"Settings (all given are changed together, or none):\n"
	"  enabled on|off        mine, or pause every worker\n"
	"  cpus LIST             the CPUs that may mine, e.g. 0-3,6\n"
	"  duty-cycle PERCENT    percent of each 20 ms a worker may mine, 1-100\n"
	"  backend NAME          a hash backend (micromine status lists them)\n"
	"  chunk-min NONCES      fewest nonces a worker takes at a time, 64-2^30\n"
	"  chunk-max NONCES      most nonces a worker takes at a time, 64-2^30\n";

static int on_off(const char *s)
{
	static const char *const on[] = { "on", "1", "yes", "y", "true" };
	static const char *const off[] = { "off", "0", "no", "n", "false" };
	unsigned int i;

	for (i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		if (!strcasecmp(s, on[i]))
			return 1;
		if (!strcasecmp(s, off[i]))
			return 0;
	}
	return -1;
}

/* One SETTING VALUE pair, checked before anything is sent. */
struct setting {
	int attr;
	enum { SET_U8, SET_U32, SET_STRING } kind;
	uint32_t num;
	const char *str;
};

static int parse(const char *name, const char *value, struct setting *set)
{
	*set = (struct setting){ .str = value };
	if (!strcmp(name, "enabled")) {
		int on = on_off(value);

		set->attr = MICROMINE_A_CONFIG_ENABLED;
		set->kind = SET_U8;
		set->num = on;
		return on < 0 ? -1 : 0;
	}
	if (!strcmp(name, "cpus") || !strcmp(name, "backend")) {
		set->attr = name[0] == 'c' ? MICROMINE_A_CONFIG_CPUS :
			    MICROMINE_A_CONFIG_BACKEND;
		set->kind = SET_STRING;
		return 0;
	}
	if (!strcmp(name, "duty-cycle")) {
		set->attr = MICROMINE_A_CONFIG_DUTY_CYCLE;
		set->kind = SET_U8;
		return mm_parse_u32(value, &set->num) || set->num > 255 ? -1 : 0;
	}
	if (!strcmp(name, "chunk-min") || !strcmp(name, "chunk-max")) {
		set->attr = name[6] == 'i' ? MICROMINE_A_CONFIG_CHUNK_MIN :
			    MICROMINE_A_CONFIG_CHUNK_MAX;
		set->kind = SET_U32;
		return mm_parse_u32(value, &set->num) ? -1 : 0;
	}
	return -2;
}

static int put(struct nl_msg *msg, const struct setting *set)
{
	switch (set->kind) {
	case SET_U8:
		return nla_put_u8(msg, set->attr, set->num);
	case SET_U32:
		return nla_put_u32(msg, set->attr, set->num);
	default:
		return nla_put_string(msg, set->attr, set->str);
	}
}

int cmd_set(int argc, char *argv[])
{
	struct setting sets[MICROMINE_A_CONFIG_MAX + 1];
	int i, n = 0, ret;
	bool enables = false;
	struct nl_msg *msg;
	struct mm_genl g;

	if (mm_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (argc < 3)
		return mm_usage_error(usage, "set wants a setting and a value");
	if (argc % 2 == 0)
		return mm_usage_error(usage, "%s wants a value", argv[argc - 1]);
	for (i = 1; i + 1 < argc; i += 2) {
		struct setting *set = &sets[n];
		int j;

		if ((unsigned int)n >= sizeof(sets) / sizeof(sets[0]))
			return mm_usage_error(usage, "too many settings");
		ret = parse(argv[i], argv[i + 1], set);
		if (ret == -2)
			return mm_usage_error(usage, "no setting named '%s'", argv[i]);
		if (ret)
			return mm_usage_error(usage, "%s: '%s' is not a value it takes",
					      argv[i], argv[i + 1]);
		for (j = 0; j < n; j++)
			if (sets[j].attr == set->attr)
				return mm_usage_error(usage, "%s given twice", argv[i]);
		if (set->attr == MICROMINE_A_CONFIG_ENABLED)
			enables = set->num;
		n++;
	}

	ret = mm_connect(&g);
	if (ret)
		return ret;
	msg = mm_genl_msg(&g, MICROMINE_CMD_CONFIG_SET, 0);
	if (!msg) {
		mm_genl_close(&g);
		return EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		if (put(msg, &sets[i]) < 0) {
			nlmsg_free(msg);
			mm_genl_close(&g);
			return mm_usage_error(usage, "%s is too long", sets[i].str);
		}
	}
	ret = mm_genl_run(&g, msg, NULL, NULL);
	if (ret)
		ret = mm_failed(&g, "set", ret);
	else if (enables)
		mm_start_mining();
	mm_genl_close(&g);
	return ret;
}
