/*
 * fuzz_confusion_bin.c
 *		libFuzzer target: the driftmon.confusion byte image (binary recv, the
 *		confusion aggregates' deserialize, every accessor's argument).
 *
 * Any input must decode or fail cleanly; a decoded image is canonical, so
 * encoding it again must give back exactly the input bytes, and its text
 * form must parse back to the same image.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "confusion_fmt.h"
#include "dm_core.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dm_conf		c,
				t;
	char		err[256];
	char	   *img,
			   *txt;
	size_t		n;

	if (dm_conf_decode((const char *) data, size, &c, err, sizeof(err)) != DM_FMT_OK)
	{
		if (err[0] == '\0')
			abort();			/* every error names what is wrong */
		dm_conf_free(&c);
		return 0;
	}
	n = dm_conf_encoded_size(&c);
	img = malloc(n);
	dm_conf_encode(&c, img);
	if (n != size || memcmp(img, data, size) != 0)
		abort();				/* decode -> encode is not the identity */
	txt = dm_conf_format_text(&c);
	if (dm_conf_parse_text(txt, strlen(txt), &t, err, sizeof(err)) != DM_FMT_OK)
		abort();				/* our own text form does not parse */
	if (dm_conf_encoded_size(&t) != n)
		abort();
	{
		char	   *img2 = malloc(n);

		dm_conf_encode(&t, img2);
		if (memcmp(img, img2, n) != 0)
			abort();			/* text round trip changed the summary */
		free(img2);
	}
	dm_conf_free(&t);
	dm_free(txt);
	free(img);
	dm_conf_free(&c);
	return 0;
}
