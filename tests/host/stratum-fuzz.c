// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: any line a pool may send, through the parser and, for
 * what it accepts, on to what the tool does with it (subscription and
 * configure results, jobs copied, coinbase, merkle root, header, targets).
 * Built with ASan and UBSan; make check runs a fixed number of inputs from
 * a seed corpus (tests/host/stratum-corpus/).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stratum.h"
#include "work.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t xn1[4] = { 1, 2, 3, 4 }, xn2[8] = { 0 };
	uint8_t root[WORK_HASH_SIZE], header[WORK_HEADER_SIZE], target[WORK_HASH_SIZE];
	struct stm_subscription sub;
	struct stm_job copy;
	struct stm_msg m;
	char why[256], shown[64];
	uint32_t mask;
	char *line;

	/* conn.c hands over lines without their newline, NUL-terminated */
	line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = 0;
	stm_printable(shown, sizeof(shown), line);
	if (!stm_parse(line, size, &m, why, sizeof(why))) {
		switch (m.type) {
		case STM_RESPONSE:
			if (m.result) {
				stm_parse_subscription(m.result, &sub, why, sizeof(why));
				stm_parse_configure(m.result, &mask, why, sizeof(why));
			}
			break;
		case STM_NOTIFY:
			if (!stm_job_copy(&copy, &m.job)) {
				if (!work_merkle_root(&copy, xn1, sizeof(xn1), xn2, sizeof(xn2), root))
					work_header(&copy, root, copy.version, 0, header);
				work_target_nbits(copy.nbits, target);
				stm_job_free(&copy);
			}
			break;
		case STM_SET_DIFFICULTY:
			work_target(m.difficulty, target);
			break;
		default:
			break;
		}
	}
	stm_msg_free(&m);
	free(line);
	return 0;
}
