/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From a pool's job to block headers, and back from a found nonce to a
 * checked share: coinbase, merkle root, header, targets, difficulty.
 */
#ifndef MICROMINE_WORK_H
#define MICROMINE_WORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stratum.h"

#define WORK_HEADER_SIZE	80
#define WORK_HASH_SIZE		32

void work_sha256d(const void *data, size_t len, uint8_t out[WORK_HASH_SIZE]);
int work_merkle_root(const struct stm_job *job, const uint8_t *xn1, size_t xn1_len,
		     const uint8_t *xn2, size_t xn2_len, uint8_t root[WORK_HASH_SIZE]);
void work_header(const struct stm_job *job, const uint8_t root[WORK_HASH_SIZE],
		 uint32_t version, uint32_t nonce, uint8_t header[WORK_HEADER_SIZE]);
void work_target(double difficulty, uint8_t target[WORK_HASH_SIZE]);
void work_target_nbits(uint32_t nbits, uint8_t target[WORK_HASH_SIZE]);
bool work_meets(const uint8_t hash[WORK_HASH_SIZE], const uint8_t target[WORK_HASH_SIZE]);
double work_difficulty(const uint8_t hash[WORK_HASH_SIZE]);
void work_xn2(uint64_t n, uint8_t *xn2, size_t len);
void work_put_le32(uint8_t *p, uint32_t v);
uint32_t work_get_le32(const uint8_t *p);

#endif
