/*
 * fuzz_category_text.c
 *		libFuzzer target: the driftmon.category_counts text input.
 *
 * As dm_cat_counts_in: parse, encode, validate the image.  When it
 * validates, its text form must parse back to the same image.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "category_fmt.h"
#include "dm_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dm_cc		c,
				d,
				t;
	char		err[256];
	char	   *img,
			   *img2,
			   *txt;
	size_t		n;

	if (dm_cc_parse_text((const char *) data, size, &c, err, sizeof(err)) != DM_FMT_OK)
	{
		if (err[0] == '\0')
			abort();
		dm_cc_free(&c);
		return 0;
	}
	n = dm_cc_encoded_size(&c);
	img = malloc(n);
	dm_cc_encode(&c, img);
	if (dm_cc_decode(img, n, &d, err, sizeof(err)) == DM_FMT_OK)
	{
		txt = dm_cc_format_text(&d);
		if (dm_cc_parse_text(txt, strlen(txt), &t, err, sizeof(err)) != DM_FMT_OK)
			abort();
		if (dm_cc_encoded_size(&t) != n)
			abort();
		img2 = malloc(n);
		dm_cc_encode(&t, img2);
		if (memcmp(img, img2, n) != 0)
			abort();
		free(img2);
		dm_cc_free(&t);
		dm_free(txt);
	}
	dm_cc_free(&d);
	free(img);
	dm_cc_free(&c);
	return 0;
}
