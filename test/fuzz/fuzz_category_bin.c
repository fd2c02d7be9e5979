/*
 * fuzz_category_bin.c
 *		libFuzzer target: the driftmon.category_counts byte image (binary
 *		recv, the categorical aggregates' deserialize, summary arguments).
 *
 * Any input must decode or fail cleanly with a message; a decoded image is
 * canonical, so encoding it again must give back exactly the input, and its
 * text form must parse back to the same image.
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
				t;
	char		err[256];
	char	   *img,
			   *img2,
			   *txt;
	size_t		n;

	if (dm_cc_decode((const char *) data, size, &c, err, sizeof(err)) != DM_FMT_OK)
	{
		if (err[0] == '\0')
			abort();
		dm_cc_free(&c);
		return 0;
	}
	n = dm_cc_encoded_size(&c);
	img = malloc(n);
	dm_cc_encode(&c, img);
	if (n != size || memcmp(img, data, size) != 0)
		abort();				/* decode -> encode is not the identity */
	txt = dm_cc_format_text(&c);
	if (dm_cc_parse_text(txt, strlen(txt), &t, err, sizeof(err)) != DM_FMT_OK)
		abort();				/* our own text form does not parse */
	if (dm_cc_encoded_size(&t) != n)
		abort();
	img2 = malloc(n);
	dm_cc_encode(&t, img2);
	if (memcmp(img, img2, n) != 0)
		abort();				/* text round trip changed the value */
	free(img2);
	dm_cc_free(&t);
	dm_free(txt);
	free(img);
	dm_cc_free(&c);
	return 0;
}
