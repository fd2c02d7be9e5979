/*
 * fuzz_confusion_text.c
 *		libFuzzer target: the driftmon.confusion text input (JSON form).
 *
 * The server passes a NUL-terminated string; the parser reads (buf, len)
 * and stops at a NUL byte, so raw fuzz bytes are a superset of what SQL can
 * send.  A parsed value goes through the byte image exactly as
 * dm_confusion_in does; when that validates, its text form must parse back
 * to the same image (decode -> encode -> decode is stable).
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
				d,
				t;
	char		err[256];
	char	   *img,
			   *img2,
			   *txt;
	size_t		n;

	err[0] = '\0';
	if (dm_conf_parse_text((const char *) data, size, &c, err, sizeof(err)) != DM_FMT_OK ||
		dm_conf_sort_labels(&c, err, sizeof(err)) != DM_FMT_OK)
	{
		if (err[0] == '\0')
			abort();
		dm_conf_free(&c);
		return 0;
	}
	n = dm_conf_encoded_size(&c);
	img = malloc(n);
	dm_conf_encode(&c, img);
	if (dm_conf_decode(img, n, &d, err, sizeof(err)) == DM_FMT_OK)
	{
		txt = dm_conf_format_text(&d);
		if (dm_conf_parse_text(txt, strlen(txt), &t, err, sizeof(err)) != DM_FMT_OK)
			abort();
		if (dm_conf_encoded_size(&t) != n)
			abort();
		img2 = malloc(n);
		dm_conf_encode(&t, img2);
		if (memcmp(img, img2, n) != 0)
			abort();
		free(img2);
		dm_conf_free(&t);
		dm_free(txt);
	}
	dm_conf_free(&d);
	free(img);
	dm_conf_free(&c);
	return 0;
}
