/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hex text and bytes.
 */
#ifndef MICROMINE_HEX_H
#define MICROMINE_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int mm_hex_decode(const char *hex, uint8_t *out, size_t len, bool reversed);
int mm_hex_to_bytes(const char *hex, uint8_t *out, size_t max, size_t *len);
void mm_hex_encode(const uint8_t *in, size_t len, bool reversed, char *out);

#endif
