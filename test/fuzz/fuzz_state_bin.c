/*
 * fuzz_state_bin.c
 *		libFuzzer target: the serialized aggregate states that parallel
 *		workers send to the leader (numeric drift, score, regression).
 *
 * The first byte selects the decoder (mod 3), the rest is the state.  A
 * decoded state re-encodes to bytes that decode to the same state (the
 * encoders zero padding and reserved fields, so decode -> encode -> decode
 * -> encode must be a fixed point after the first encode).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dm_core.h"
#include "state_fmt.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_num: numeric drift state. */
static void
fuzz_num(const char *p, size_t n)
{
	dm_num_state_img a,
				b;
	char		err[256];
	char	   *x,
			   *y;
	size_t		len;

	if (dm_num_state_decode(p, n, &a, err, sizeof(err)) != DM_FMT_OK)
	{
		if (err[0] == '\0')
			abort();
		return;
	}
	len = dm_num_state_size(&a);
	if (len != n)
		abort();
	x = malloc(len);
	dm_num_state_encode(&a, x);
	if (dm_num_state_decode(x, len, &b, err, sizeof(err)) != DM_FMT_OK)
		abort();
	y = malloc(len);
	dm_num_state_encode(&b, y);
	if (memcmp(x, y, len) != 0 || memcmp(x + DM_NUM_STATE_HEADER, p + DM_NUM_STATE_HEADER,
										 len - DM_NUM_STATE_HEADER) != 0)
		abort();
	free(x);
	free(y);
}

/* fuzz_score: score (roc_auc, binary_metrics, log_loss, brier) state. */
static void
fuzz_score(const char *p, size_t n)
{
	dm_score_state_img a,
				b;
	char		err[256];
	char	   *x,
			   *y;
	size_t		len;

	if (dm_score_state_decode(p, n, &a, err, sizeof(err)) != DM_FMT_OK)
	{
		if (err[0] == '\0')
			abort();
		return;
	}
	len = dm_score_state_size(&a);
	if (len != n)
		abort();
	x = malloc(len);
	dm_score_state_encode(&a, x);
	if (dm_score_state_decode(x, len, &b, err, sizeof(err)) != DM_FMT_OK)
		abort();
	y = malloc(len);
	dm_score_state_encode(&b, y);
	if (memcmp(x, y, len) != 0)
		abort();
	free(x);
	free(y);
}

/* fuzz_reg: regression_metrics state. */
static void
fuzz_reg(const char *p, size_t n)
{
	dm_reg_state a,
				b;
	int64_t		sa,
				sb;
	char		err[256];
	char		x[DM_REG_STATE_BYTES];

	if (dm_reg_state_decode(p, n, &sa, &a, err, sizeof(err)) != DM_FMT_OK)
	{
		if (err[0] == '\0')
			abort();
		return;
	}
	dm_reg_state_encode(sa, &a, x);
	if (memcmp(x, p, DM_REG_STATE_BYTES) != 0)
		abort();				/* every byte is significant or checked */
	if (dm_reg_state_decode(x, sizeof(x), &sb, &b, err, sizeof(err)) != DM_FMT_OK || sa != sb)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *copy;

	if (size < 1)
		return 0;
	/* an exact-size heap copy, so ASan sees any read past the end */
	copy = malloc(size - 1 ? size - 1 : 1);
	memcpy(copy, data + 1, size - 1);
	switch (data[0] % 3)
	{
		case 0:
			fuzz_num(copy, size - 1);
			break;
		case 1:
			fuzz_score(copy, size - 1);
			break;
		default:
			fuzz_reg(copy, size - 1);
			break;
	}
	free(copy);
	return 0;
}
