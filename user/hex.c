// SPDX-License-Identifier: GPL-2.0
/*
 * Hex text and bytes: command-line arguments, output, and the hex fields
 * of Stratum messages.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hex.h"

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * mm_hex_decode() - exactly @len bytes of hex
 * @hex: the text (an optional leading 0x is allowed)
 * @out: the bytes
 * @len: how many
 * @reversed: the text is in display order (most significant byte first)
 *	and @out is wanted as a little-endian integer
 *
 * Return: 0, or -EINVAL if it is not 2 * @len hex digits.
 */
int mm_hex_decode(const char *hex, uint8_t *out, size_t len, bool reversed)
{
	size_t i;

	if (!strncmp(hex, "0x", 2) || !strncmp(hex, "0X", 2))
		hex += 2;
	if (strlen(hex) != 2 * len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[reversed ? len - 1 - i : i] = hi << 4 | lo;
	}
	return 0;
}

/**
 * mm_hex_to_bytes() - strict hex of a length not known in advance
 * @hex: the text: an even number of hex digits, nothing else
 * @out: the bytes
 * @max: room in @out
 * @len: how many bytes there were
 *
 * Return: 0, or -EINVAL if it is not hex, -E2BIG if longer than @max.
 */
int mm_hex_to_bytes(const char *hex, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(hex), i;

	if (n % 2)
		return -EINVAL;
	if (n / 2 > max)
		return -E2BIG;
	for (i = 0; i < n / 2; i++) {
		int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = hi << 4 | lo;
	}
	*len = n / 2;
	return 0;
}

/**
 * mm_hex_encode() - bytes as lowercase hex
 * @in: the bytes
 * @len: how many
 * @reversed: print the last byte first (display order of a hash)
 * @out: room for 2 * @len + 1 characters
 */
void mm_hex_encode(const uint8_t *in, size_t len, bool reversed, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", in[reversed ? len - 1 - i : i]);
	out[2 * len] = 0;
}

