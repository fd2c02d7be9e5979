/*
 * test_formats.c
 *		Unit tests of the decoders of external bytes (src/core/..._fmt.c): for
 *		every decoder a valid input of each shape, then broken inputs, each
 *		asserting the exact result code, and every proper prefix of a valid
 *		image (truncation must never decode).  Byte images are written out
 *		by hand from the documented formats (README, the _fmt.h headers), not produced
 *		by the encoders under test; the encoders are then checked to give
 *		back exactly these bytes.
 */
#include "tap.h"
#include "category_fmt.h"
#include "confusion_fmt.h"
#include "dm_core.h"
#include "state_fmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Byte builders (explicit byte order). */
typedef struct Buf
{
	char		b[4096];
	size_t		n;
} Buf;

static void
u8(Buf *b, unsigned v)
{
	b->b[b->n++] = (char) v;
}

static void
le32(Buf *b, uint32_t v)
{
	int			i;

	for (i = 0; i < 4; i++)
		u8(b, (v >> (8 * i)) & 0xff);
}

static void
le64(Buf *b, uint64_t v)
{
	int			i;

	for (i = 0; i < 8; i++)
		u8(b, (unsigned) ((v >> (8 * i)) & 0xff));
}

static void
be32(Buf *b, uint32_t v)
{
	int			i;

	for (i = 3; i >= 0; i--)
		u8(b, (v >> (8 * i)) & 0xff);
}

static void
be64(Buf *b, uint64_t v)
{
	int			i;

	for (i = 7; i >= 0; i--)
		u8(b, (unsigned) ((v >> (8 * i)) & 0xff));
}

static void
bytes(Buf *b, const char *s, size_t n)
{
	memcpy(b->b + b->n, s, n);
	b->n += n;
}

static void
host_f64(Buf *b, double d)
{
	memcpy(b->b + b->n, &d, 8);
	b->n += 8;
}

static void
host_i64(Buf *b, int64_t v)
{
	memcpy(b->b + b->n, &v, 8);
	b->n += 8;
}

/* ---------- confusion ---------- */

/* conf_hdr: version, kind, 0, skipped, n_labels, n_cells. */
static void
conf_hdr(Buf *b, unsigned ver, unsigned kind, int64_t skipped, uint32_t nl, uint32_t nc)
{
	b->n = 0;
	u8(b, ver);
	u8(b, kind);
	u8(b, 0);
	u8(b, 0);
	le64(b, (uint64_t) skipped);
	le32(b, nl);
	le32(b, nc);
}

static void
conf_cell(Buf *b, uint32_t t, uint32_t p, int64_t n)
{
	le32(b, t);
	le32(b, p);
	le64(b, (uint64_t) n);
}

static void
conf_tlabel(Buf *b, const char *s)
{
	le32(b, (uint32_t) strlen(s));
	bytes(b, s, strlen(s));
}

/* conf_code: result code of decoding b. */
static int
conf_code(const Buf *b)
{
	dm_conf		c;
	char		err[256];
	int			rc = dm_conf_decode(b->b, b->n, &c, err, sizeof(err));

	dm_conf_free(&c);
	return rc;
}

/* conf_text_code: result code of parsing s (validation not included). */
static int
conf_text_code(const char *s, char *err, size_t errlen)
{
	dm_conf		c;
	int			rc = dm_conf_parse_text(s, strlen(s), &c, err, errlen);

	dm_conf_free(&c);
	return rc;
}

/* prefixes_fail: no proper prefix of a valid image decodes. */
static int
prefixes_fail(const Buf *b, int (*code) (const Buf *))
{
	Buf			t;
	size_t		k;

	for (k = 0; k < b->n; k++)
	{
		memcpy(t.b, b->b, k);
		t.n = k;
		if (code(&t) == DM_FMT_OK)
			return 0;
	}
	return 1;
}

/*
 * latin1_like: a stand-in for the server-encoding converter of a LATIN1
 * database: code points below 256 are one byte, others "??".
 */
static size_t
latin1_like(unsigned int cpt, char *out, void *arg)
{
	if (cpt < 256)
	{
		out[0] = (char) cpt;
		return 1;
	}
	out[0] = out[1] = '?';
	return 2;
}

static void
test_confusion(void)
{
	Buf			b;
	dm_conf		c;
	char		err[256];
	char	   *txt;
	char		img[4096];
	int			rc;

	/* the README's example: labels a, b, c, skipped 2 */
	conf_hdr(&b, 1, 1, 2, 3, 5);
	conf_tlabel(&b, "a");
	conf_tlabel(&b, "b");
	conf_tlabel(&b, "c");
	conf_cell(&b, 0, 0, 1);
	conf_cell(&b, 0, 1, 1);
	conf_cell(&b, 1, 1, 1);
	conf_cell(&b, 2, 0, 1);
	conf_cell(&b, 2, 2, 2);
	rc = dm_conf_decode(b.b, b.n, &c, err, sizeof(err));
	tap_ok(rc == DM_FMT_OK && c.kind == 1 && c.n_skipped == 2 && c.nlabels == 3 &&
		   c.ncells == 5 && c.tlen[2] == 1 && c.tdata[2][0] == 'c' && c.cn[4] == 2,
		   "confusion: README example decodes");
	tap_ok(dm_conf_encoded_size(&c) == b.n, "confusion: encoded size equals the input");
	dm_conf_encode(&c, img);
	tap_ok(memcmp(img, b.b, b.n) == 0, "confusion: encode gives back the input bytes");
	txt = dm_conf_format_text(&c);
	tap_ok(strcmp(txt, "{\"version\":1,\"kind\":\"text\",\"skipped\":2,\"labels\":[\"a\",\"b\",\"c\"],"
				  "\"cells\":[[0,0,1],[0,1,1],[1,1,1],[2,0,1],[2,2,2]]}") == 0,
		   "confusion: text form is the README's");
	dm_free(txt);
	dm_conf_free(&c);
	tap_ok(prefixes_fail(&b, conf_code), "confusion: no proper prefix decodes");

	/* bigint and boolean */
	conf_hdr(&b, 1, 2, 0, 2, 2);
	le64(&b, (uint64_t) INT64_MIN);
	le64(&b, (uint64_t) INT64_MAX);
	conf_cell(&b, 0, 1, 1);
	conf_cell(&b, 1, 0, INT64_MAX - 1);
	tap_ok(conf_code(&b) == DM_FMT_OK, "confusion: bigint extremes, total INT64_MAX");
	b.b[b.n - 8] = (char) 0xff;	/* count 7f..ff -> total overflows */
	b.b[b.n - 1] = 0x7f;
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: total count overflow is INVALID");
	conf_hdr(&b, 1, 3, 0, 2, 1);
	u8(&b, 0);
	u8(&b, 1);
	conf_cell(&b, 1, 0, 3);
	tap_ok(conf_code(&b) == DM_FMT_OK, "confusion: boolean labels");
	b.b[DM_CONF_HEADER + 1] = 2;
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: boolean label 2 is INVALID");
	conf_hdr(&b, 1, 1, 0, 0, 0);
	tap_ok(conf_code(&b) == DM_FMT_OK, "confusion: empty summary");

	/* header errors */
	conf_hdr(&b, 2, 1, 0, 0, 0);
	rc = dm_conf_decode(b.b, b.n, &c, err, sizeof(err));
	dm_conf_free(&c);
	tap_ok(rc == DM_FMT_VERSION && strstr(err, "Format version 2") != NULL,
		   "confusion: version 2 is VERSION, named in the message");
	conf_hdr(&b, 1, 4, 0, 0, 0);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: kind 4 is INVALID");
	conf_hdr(&b, 1, 0, 0, 0, 0);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: kind 0 is INVALID");
	conf_hdr(&b, 1, 1, 0, 0, 0);
	b.b[3] = 1;
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: non-zero padding is INVALID");
	conf_hdr(&b, 1, 1, -1, 0, 0);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: negative skipped is INVALID");
	conf_hdr(&b, 1, 1, 0, 0xffffffffu, 0xffffffffu);
	tap_ok(conf_code(&b) == DM_FMT_TRUNCATED, "confusion: 2^32-1 labels and cells in 20 bytes is TRUNCATED");
	conf_hdr(&b, 1, 2, 0, 1, 1);
	le64(&b, 5);
	conf_cell(&b, 0, 0, 1);
	u8(&b, 0);
	tap_ok(conf_code(&b) == DM_FMT_TRAILING, "confusion: a trailing byte is TRAILING");

	/* label and cell errors */
	conf_hdr(&b, 1, 2, 0, 2, 1);
	le64(&b, 5);
	le64(&b, 5);
	conf_cell(&b, 0, 1, 1);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: duplicate label is INVALID");
	conf_hdr(&b, 1, 1, 0, 2, 1);
	conf_tlabel(&b, "b");
	conf_tlabel(&b, "a");
	conf_cell(&b, 0, 1, 1);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: unsorted text labels are INVALID");
	conf_hdr(&b, 1, 1, 0, 2, 1);
	conf_tlabel(&b, "a");
	conf_tlabel(&b, "ab");
	conf_cell(&b, 0, 1, 1);
	tap_ok(conf_code(&b) == DM_FMT_OK, "confusion: a prefix sorts first");
	conf_hdr(&b, 1, 1, 0, 1, 1);
	le32(&b, 3);
	bytes(&b, "a\0b", 3);
	conf_cell(&b, 0, 0, 1);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: NUL in a text label is INVALID");
	conf_hdr(&b, 1, 1, 0, 1, 1);
	le32(&b, 1000);
	bytes(&b, "abc", 3);
	conf_cell(&b, 0, 0, 1);
	tap_ok(conf_code(&b) == DM_FMT_TRUNCATED, "confusion: label length past the end is TRUNCATED");
	conf_hdr(&b, 1, 2, 0, 1, 1);
	le64(&b, 1);
	conf_cell(&b, 0, 1, 1);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: cell index out of range is INVALID");
	conf_hdr(&b, 1, 2, 0, 2, 2);
	le64(&b, 1);
	le64(&b, 2);
	conf_cell(&b, 1, 1, 1);
	conf_cell(&b, 0, 0, 1);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: unsorted cells are INVALID");
	conf_hdr(&b, 1, 2, 0, 1, 1);
	le64(&b, 1);
	conf_cell(&b, 0, 0, 0);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: zero count is INVALID");
	conf_hdr(&b, 1, 2, 0, 2, 1);
	le64(&b, 1);
	le64(&b, 2);
	conf_cell(&b, 0, 0, 1);
	tap_ok(conf_code(&b) == DM_FMT_INVALID, "confusion: unused label is INVALID");

	/* text form */
	rc = dm_conf_parse_text(" { \"version\" : 1 , \"kind\" : \"bigint\" , \"skipped\" : 0 , \"labels\" : [ -5 , 7 ] ,"
							" \"cells\" : [ [ 0 , 1 , 3 ] ] } ", 109, &c, err, sizeof(err));
	tap_ok(rc == DM_FMT_OK && c.kind == 2 && c.nlabels == 2 && c.ival[0] == -5 && c.cn[0] == 3,
		   "confusion text: whitespace between tokens");
	dm_conf_free(&c);
	{
		const char *t = "{\"version\":1,\"kind\":\"text\",\"skipped\":0,\"labels\":[\"\\u00e9\\n\"],\"cells\":[[0,0,1]]}";

		rc = dm_conf_parse_text(t, strlen(t), &c, err, sizeof(err));
	}
	tap_ok(rc == DM_FMT_OK && c.tlen[0] == 3 && memcmp(c.tdata[0], "\xc3\xa9\n", 3) == 0,
		   "confusion text: \\u00e9 is UTF-8 c3 a9, \\n a newline");
	dm_conf_free(&c);
	{
		/* a converter (non-UTF-8 database) gets the non-ASCII escapes only */
		const char *t = "{\"version\":1,\"kind\":\"text\",\"skipped\":0,\"labels\":[\"\\u0041\\u00e9z\\u20ac\"],\"cells\":[[0,0,1]]}";

		rc = dm_conf_parse_text_enc(t, strlen(t), &c, err, sizeof(err), latin1_like, NULL);
	}
	tap_ok(rc == DM_FMT_OK && c.tlen[0] == 5 && memcmp(c.tdata[0], "A\xe9z??", 5) == 0,
		   "confusion text: with a converter \\u00e9 is its byte e9, \\u20ac what the converter writes");
	dm_conf_free(&c);
	{
		/* labels in another order (another encoding's bytes): sorted, cells remapped */
		const char *t = "{\"version\":1,\"kind\":\"text\",\"skipped\":0,\"labels\":[\"\\u20ac\",\"b\",\"\\u00e9\"],"
			"\"cells\":[[0,2,5],[1,0,1],[2,1,2],[2,2,3]]}";

		rc = dm_conf_parse_text(t, strlen(t), &c, err, sizeof(err));
		if (rc == DM_FMT_OK)
			rc = dm_conf_sort_labels(&c, err, sizeof(err));
	}
	tap_ok(rc == DM_FMT_OK && c.nlabels == 3 && c.ncells == 4 &&
		   c.tlen[0] == 1 && c.tdata[0][0] == 'b' &&
		   c.tlen[1] == 2 && memcmp(c.tdata[1], "\xc3\xa9", 2) == 0 &&
		   c.tlen[2] == 3 && memcmp(c.tdata[2], "\xe2\x82\xac", 3) == 0 &&
		   c.ct[0] == 0 && c.cp[0] == 2 && c.cn[0] == 1 &&
		   c.ct[1] == 1 && c.cp[1] == 0 && c.cn[1] == 2 &&
		   c.ct[2] == 1 && c.cp[2] == 1 && c.cn[2] == 3 &&
		   c.ct[3] == 2 && c.cp[3] == 1 && c.cn[3] == 5,
		   "confusion text: dm_conf_sort_labels orders the labels (UTF-8 bytes) and remaps the cells");
	dm_conf_free(&c);
	{
		const char *t = "{\"version\":1,\"kind\":\"bigint\",\"skipped\":0,\"labels\":[2,1],\"cells\":[[1,0,1],[0,1,1]]}";

		rc = dm_conf_parse_text(t, strlen(t), &c, err, sizeof(err));
		if (rc == DM_FMT_OK)
			rc = dm_conf_sort_labels(&c, err, sizeof(err));
	}
	tap_ok(rc == DM_FMT_INVALID && strcmp(err, "The cells are not sorted or contain a duplicate.") == 0,
		   "confusion text: dm_conf_sort_labels refuses cells out of order as written");
	dm_conf_free(&c);
	tap_ok(conf_text_code("{\"version\":2,\"kind\":\"text\"", err, sizeof(err)) == DM_FMT_VERSION,
		   "confusion text: version 2 is VERSION");
	tap_ok(conf_text_code("{\"version\":1,\"kind\":\"float\"", err, sizeof(err)) == DM_FMT_SYNTAX &&
		   strcmp(err, "Expected \"text\", \"bigint\" or \"boolean\" at character 21.") == 0,
		   "confusion text: unknown kind is SYNTAX at character 21");
	tap_ok(conf_text_code("{\"version\":1,\"kind\":\"text\",\"skipped\":0,\"labels\":[\"a\"],\"cells\":[[0,1,1]]}",
						  err, sizeof(err)) == DM_FMT_INVALID,
		   "confusion text: cell index out of range is INVALID");
	tap_ok(conf_text_code("{\"version\":1,\"kind\":\"text\",\"skipped\":0,\"labels\":[\"\\ud800\"],\"cells\":[]}",
						  err, sizeof(err)) == DM_FMT_SYNTAX, "confusion text: surrogate escape is SYNTAX");
	tap_ok(conf_text_code("{\"version\":1,\"kind\":\"bigint\",\"skipped\":0,\"labels\":[9223372036854775808],\"cells\":[]}",
						  err, sizeof(err)) == DM_FMT_SYNTAX, "confusion text: 2^63 is SYNTAX (out of bigint)");
	tap_ok(conf_text_code("{\"version\":1,\"kind\":\"bigint\",\"skipped\":0,\"labels\":[-9223372036854775808],\"cells\":[[0,0,1]]}",
						  err, sizeof(err)) == DM_FMT_OK, "confusion text: -2^63 parses");
	tap_ok(conf_text_code("{\"version\":1,\"kind\":\"text\",\"skipped\":0,\"labels\":[\"a", err, sizeof(err)) == DM_FMT_SYNTAX,
		   "confusion text: unterminated string is SYNTAX");
	tap_ok(conf_text_code("{\"version\":1,\"kind\":\"text\",\"skipped\":0,\"labels\":[],\"cells\":[]} x", err, sizeof(err)) == DM_FMT_SYNTAX &&
		   strcmp(err, "Expected the end of the input at character 64.") == 0,
		   "confusion text: trailing garbage is SYNTAX at its position");
	{
		/* a NUL byte ends the input, as in a C string */
		const char	s[] = "{\"version\":1,\"kind\":\"text\",\"skipped\":0,\"labels\":[],\"cells\":[]}\0garbage";

		rc = dm_conf_parse_text(s, sizeof(s) - 1, &c, err, sizeof(err));
		dm_conf_free(&c);
		tap_ok(rc == DM_FMT_OK, "confusion text: a NUL byte ends the input");
	}
}

/* ---------- category_counts ---------- */

static void
cc_hdr(Buf *b, unsigned magic, unsigned ver, int64_t nr, int64_t nc, int64_t mr, int64_t mc, uint32_t k)
{
	b->n = 0;
	u8(b, magic);
	u8(b, ver);
	be64(b, (uint64_t) nr);
	be64(b, (uint64_t) nc);
	be64(b, (uint64_t) mr);
	be64(b, (uint64_t) mc);
	be32(b, k);
}

static void
cc_cat(Buf *b, int64_t a, int64_t c, const char *s, size_t n)
{
	be64(b, (uint64_t) a);
	be64(b, (uint64_t) c);
	be32(b, (uint32_t) n);
	bytes(b, s, n);
}

static int
cc_code(const Buf *b)
{
	dm_cc		c;
	char		err[256];
	int			rc = dm_cc_decode(b->b, b->n, &c, err, sizeof(err));

	dm_cc_free(&c);
	return rc;
}

static int
cc_text_code(const char *s, char *err, size_t errlen)
{
	dm_cc		c;
	int			rc = dm_cc_parse_text(s, strlen(s), &c, err, errlen);

	dm_cc_free(&c);
	return rc;
}

static void
test_category(void)
{
	Buf			b;
	dm_cc		c;
	char		err[256];
	char		img[4096];
	char	   *txt;
	int			rc;

	cc_hdr(&b, 0xC7, 1, 8, 3, 1, 2, 3);
	cc_cat(&b, 3, 1, "a", 1);
	cc_cat(&b, 0, 2, "b", 1);
	cc_cat(&b, 5, 0, "c", 1);
	rc = dm_cc_decode(b.b, b.n, &c, err, sizeof(err));
	tap_ok(rc == DM_FMT_OK && c.k == 3 && c.n_ref == 8 && c.missing_cur == 2 && c.a[2] == 5 &&
		   c.name[1][0] == 'b', "category: three categories decode");
	dm_cc_encode(&c, img);
	tap_ok(dm_cc_encoded_size(&c) == b.n && memcmp(img, b.b, b.n) == 0,
		   "category: encode gives back the input bytes");
	txt = dm_cc_format_text(&c);
	tap_ok(strcmp(txt, "{\"version\":1,\"n_reference\":8,\"n_current\":3,\"missing_reference\":1,"
				  "\"missing_current\":2,\"categories\":[[\"a\",3,1],[\"b\",0,2],[\"c\",5,0]]}") == 0,
		   "category: text form");
	dm_free(txt);
	dm_cc_free(&c);
	tap_ok(prefixes_fail(&b, cc_code), "category: no proper prefix decodes");

	cc_hdr(&b, 0xC7, 1, 0, 0, 0, 0, 0);
	tap_ok(cc_code(&b) == DM_FMT_OK, "category: empty value");
	b.n = 1;
	tap_ok(cc_code(&b) == DM_FMT_TRUNCATED, "category: 1 byte is TRUNCATED");
	cc_hdr(&b, 0xC8, 1, 0, 0, 0, 0, 0);
	tap_ok(cc_code(&b) == DM_FMT_MAGIC, "category: wrong magic is MAGIC");
	cc_hdr(&b, 0xC7, 2, 0, 0, 0, 0, 0);
	tap_ok(cc_code(&b) == DM_FMT_VERSION, "category: version 2 is VERSION");
	cc_hdr(&b, 0xC7, 1, 0, 0, -1, 0, 0);
	tap_ok(cc_code(&b) == DM_FMT_INVALID, "category: negative missing count is INVALID");
	cc_hdr(&b, 0xC7, 1, 0, 0, 0, 0, 1);
	tap_ok(cc_code(&b) == DM_FMT_TRUNCATED, "category: k = 1 without a category is TRUNCATED");
	cc_hdr(&b, 0xC7, 1, 1, 0, 0, 0, 1);
	cc_cat(&b, 1, 0, "abc", 3);
	b.n -= 1;
	tap_ok(cc_code(&b) == DM_FMT_TRUNCATED, "category: name cut short is TRUNCATED");
	cc_hdr(&b, 0xC7, 1, 0, 0, 0, 0, 1);
	cc_cat(&b, 0, 0, "a", 1);
	tap_ok(cc_code(&b) == DM_FMT_INVALID, "category: category with no row is INVALID");
	cc_hdr(&b, 0xC7, 1, -1, 0, 0, 0, 1);
	cc_cat(&b, -1, 0, "a", 1);
	tap_ok(cc_code(&b) == DM_FMT_INVALID, "category: negative total and count are INVALID");
	cc_hdr(&b, 0xC7, 1, 2, 0, 0, 0, 2);
	cc_cat(&b, 1, 0, "b", 1);
	cc_cat(&b, 1, 0, "a", 1);
	tap_ok(cc_code(&b) == DM_FMT_INVALID, "category: descending names are INVALID");
	cc_hdr(&b, 0xC7, 1, 2, 0, 0, 0, 2);
	cc_cat(&b, 1, 0, "a", 1);
	cc_cat(&b, 1, 0, "a", 1);
	tap_ok(cc_code(&b) == DM_FMT_INVALID, "category: duplicate names are INVALID");
	cc_hdr(&b, 0xC7, 1, 1, 0, 0, 0, 1);
	cc_cat(&b, 1, 0, "a\0", 2);
	tap_ok(cc_code(&b) == DM_FMT_INVALID, "category: NUL in a name is INVALID");
	cc_hdr(&b, 0xC7, 1, 0, 0, 0, 0, 2);
	cc_cat(&b, INT64_MAX, 0, "a", 1);
	cc_cat(&b, 1, 0, "b", 1);
	tap_ok(cc_code(&b) == DM_FMT_INVALID, "category: counts overflowing bigint are INVALID");
	cc_hdr(&b, 0xC7, 1, 5, 1, 0, 0, 1);
	cc_cat(&b, 1, 1, "a", 1);
	rc = dm_cc_decode(b.b, b.n, &c, err, sizeof(err));
	dm_cc_free(&c);
	tap_ok(rc == DM_FMT_INVALID &&
		   strcmp(err, "Totals (5, 1) do not match the sums of the category counts (1, 1).") == 0,
		   "category: totals mismatch is INVALID with both pairs");
	cc_hdr(&b, 0xC7, 1, 1, 1, 0, 0, 1);
	cc_cat(&b, 1, 1, "a", 1);
	u8(&b, 'x');
	tap_ok(cc_code(&b) == DM_FMT_TRAILING, "category: a trailing byte is TRAILING");

	/* text */
	tap_ok(cc_text_code("{\"version\":1,\"n_reference\":1,\"n_current\":0,\"missing_reference\":0,"
						"\"missing_current\":0,\"categories\":[[\"\\u0041\\t\",1,0]]}", err, sizeof(err)) == DM_FMT_OK,
		   "category text: \\u0041 and \\t escapes");
	rc = dm_cc_parse_text("{\"version\":7}", 13, &c, err, sizeof(err));
	tap_ok(rc == DM_FMT_VERSION && c.version == 7, "category text: version 7 is VERSION, reported");
	dm_cc_free(&c);
	tap_ok(cc_text_code("{\"version\":1,\"n_reference\":99999999999999999999", err, sizeof(err)) == DM_FMT_RANGE &&
		   strcmp(err, "The number at character 28 exceeds the range of bigint.") == 0,
		   "category text: count beyond bigint is RANGE at its first digit");
	tap_ok(cc_text_code("{\"version\":1,\"n_ref\":0}", err, sizeof(err)) == DM_FMT_SYNTAX &&
		   strcmp(err, "Expected the key \"n_reference\" at character 14.") == 0,
		   "category text: wrong key is SYNTAX at the key");
	tap_ok(cc_text_code("{\"version\":1,\"n_reference\":0,\"n_current\":0,\"missing_reference\":0,"
						"\"missing_current\":0,\"categories\":[[\"\\u00e9\",1,0]]}", err, sizeof(err)) == DM_FMT_SYNTAX,
		   "category text: non-ASCII \\u escape is SYNTAX");
	tap_ok(cc_text_code("{\"version\":1,\"n_reference\":-1", err, sizeof(err)) == DM_FMT_SYNTAX,
		   "category text: negative count is SYNTAX");
	tap_ok(cc_text_code("{\"version\":1,\"n_reference\":0,\"n_current\":0,\"missing_reference\":0,"
						"\"missing_current\":0,\"categories\":[[\"a\",1,0]", err, sizeof(err)) == DM_FMT_SYNTAX,
		   "category text: missing ] is SYNTAX");
}

/* ---------- aggregate states ---------- */

static int
num_code(const Buf *b)
{
	dm_num_state_img s;
	char		err[256];

	return dm_num_state_decode(b->b, b->n, &s, err, sizeof(err));
}

/* num_build: a numeric state image with the given parameters and values. */
static void
num_build(Buf *b, int alt, int method, int binning, int32_t bins,
		  const double *ref, int64_t nref, const double *cur, int64_t ncur)
{
	int64_t		i;

	b->n = 0;
	u8(b, 0xD7);
	u8(b, 1);
	u8(b, (unsigned) alt & 0xff);
	u8(b, (unsigned) method & 0xff);
	u8(b, (unsigned) binning & 0xff);
	u8(b, 0);
	u8(b, 0);
	u8(b, 0);
	memcpy(b->b + b->n, &bins, 4);
	b->n += 4;
	le32(b, 0);
	host_i64(b, nref);
	host_i64(b, 1);
	host_i64(b, 2);
	host_i64(b, ncur);
	host_i64(b, 0);
	host_i64(b, 0);
	for (i = 0; i < nref; i++)
		host_f64(b, ref[i]);
	for (i = 0; i < ncur; i++)
		host_f64(b, cur[i]);
}

static int
score_code(const Buf *b)
{
	dm_score_state_img s;
	char		err[256];

	return dm_score_state_decode(b->b, b->n, &s, err, sizeof(err));
}

/* score_build: header with npos / nneg as given, then body doubles. */
static void
score_build(Buf *b, unsigned flags, int64_t npos, int64_t nneg, const double *v, int nv)
{
	int			i;

	b->n = 0;
	u8(b, 1);
	u8(b, flags);
	u8(b, 0);
	u8(b, 0);
	host_i64(b, 1);				/* n_skipped */
	host_i64(b, 0);				/* n_outside */
	host_f64(b, 0.5);			/* threshold */
	for (i = 0; i < 4; i++)
		host_f64(b, 0.25);		/* ll, br */
	for (i = 0; i < 5; i++)
		host_i64(b, 2);			/* nprob, tp, fp, tn, fn */
	host_f64(b, 0.0);			/* first_outside */
	host_i64(b, npos);
	host_i64(b, nneg);
	host_i64(b, 0);
	host_i64(b, 0);
	for (i = 0; i < nv; i++)
		host_f64(b, v[i]);
}

static int
reg_code(const Buf *b)
{
	dm_reg_state s;
	int64_t		sk;
	char		err[256];

	return dm_reg_state_decode(b->b, b->n, &sk, &s, err, sizeof(err));
}

static void
test_states(void)
{
	Buf			b;
	double		ref[3] = {1.0, -2.5, 1e308};
	double		cur[2] = {0.0, 3.0};
	double		nan = strtod("nan", NULL);
	dm_num_state_img ns;
	dm_score_state_img ss;
	dm_reg_state rs;
	int64_t		sk;
	char		err[256];
	char		img[4096];
	double		d;
	int			i;

	/* numeric */
	num_build(&b, 0, 0, 0, 10, ref, 3, cur, 2);
	tap_ok(dm_num_state_decode(b.b, b.n, &ns, err, sizeof(err)) == DM_FMT_OK &&
		   ns.n[0] == 3 && ns.n[1] == 2 && ns.nulls[0] == 1 && ns.nonfinite[0] == 2 && ns.bins == 10,
		   "numeric state: decodes");
	memcpy(&d, ns.values[1] + 8, 8);
	tap_ok(d == 3.0, "numeric state: current values follow the reference values");
	dm_num_state_encode(&ns, img);
	tap_ok(dm_num_state_size(&ns) == b.n && memcmp(img, b.b, b.n) == 0,
		   "numeric state: encode gives back the input bytes");
	tap_ok(prefixes_fail(&b, num_code), "numeric state: no proper prefix decodes");
	num_build(&b, 2, 2, 2, 10000, NULL, 0, NULL, 0);
	tap_ok(num_code(&b) == DM_FMT_OK, "numeric state: largest parameters, no value");
	b.b[0] = (char) 0xD8;
	tap_ok(num_code(&b) == DM_FMT_MAGIC, "numeric state: wrong magic is MAGIC");
	b.b[0] = (char) 0xD7;
	b.b[1] = 2;
	tap_ok(num_code(&b) == DM_FMT_VERSION, "numeric state: version 2 is VERSION");
	num_build(&b, 3, 0, 0, 10, NULL, 0, NULL, 0);
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: alternative 3 is INVALID");
	num_build(&b, -1, 0, 0, 10, NULL, 0, NULL, 0);
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: alternative -1 is INVALID");
	num_build(&b, 0, 0, 0, 1, NULL, 0, NULL, 0);
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: 1 bin is INVALID");
	num_build(&b, 0, 0, 0, 10001, NULL, 0, NULL, 0);
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: 10001 bins are INVALID");
	num_build(&b, 0, 0, 0, 10, ref, 3, cur, 2);
	b.n -= 8;
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: one value missing is INVALID");
	num_build(&b, 0, 0, 0, 10, ref, 3, cur, 2);
	b.n -= 1;
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: length not a multiple of 8 is INVALID");
	ref[1] = nan;
	num_build(&b, 0, 0, 0, 10, ref, 3, cur, 2);
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: NaN value is INVALID");
	ref[1] = 1.0 / 0.0;
	num_build(&b, 0, 0, 0, 10, ref, 3, cur, 2);
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: infinite value is INVALID");
	num_build(&b, 0, 0, 0, 10, NULL, 0, NULL, 0);
	memcpy(b.b + 16, &(int64_t) {INT64_MAX}, 8);
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: n = INT64_MAX is INVALID");
	num_build(&b, 0, 0, 0, 10, NULL, 0, NULL, 0);
	memcpy(b.b + 24, &(int64_t) {-1}, 8);
	tap_ok(num_code(&b) == DM_FMT_INVALID, "numeric state: negative NULL count is INVALID");
	b.n = 63;
	tap_ok(num_code(&b) == DM_FMT_TRUNCATED, "numeric state: 63 bytes is TRUNCATED");

	/* score */
	{
		double		v[3] = {0.9, 0.8, 0.1};

		score_build(&b, 3, 2, 1, v, 3);
		tap_ok(dm_score_state_decode(b.b, b.n, &ss, err, sizeof(err)) == DM_FMT_OK &&
			   ss.has_threshold && ss.has_arrays && ss.npos == 2 && ss.nneg == 1 &&
			   ss.n_skipped == 1 && ss.tp == 2 && ss.threshold == 0.5,
			   "score state: decodes with arrays");
		memcpy(&d, ss.neg, 8);
		tap_ok(d == 0.1, "score state: negative scores follow the positive ones");
		dm_score_state_encode(&ss, img);
		tap_ok(dm_score_state_size(&ss) == b.n && memcmp(img, b.b, b.n) == 0,
			   "score state: encode gives back the input bytes");
		tap_ok(prefixes_fail(&b, score_code), "score state: no proper prefix decodes");
		score_build(&b, 0, 5, 7, NULL, 0);
		tap_ok(score_code(&b) == DM_FMT_OK, "score state: no arrays, counts only");
		score_build(&b, 4, 0, 0, NULL, 0);
		tap_ok(score_code(&b) == DM_FMT_INVALID, "score state: unknown flag is INVALID");
		score_build(&b, 2, 2, 1, v, 2);
		tap_ok(score_code(&b) == DM_FMT_INVALID, "score state: one score missing is INVALID");
		score_build(&b, 2, -1, 1, v, 0);
		tap_ok(score_code(&b) == DM_FMT_INVALID, "score state: negative count is INVALID");
		score_build(&b, 2, INT64_C(1) << 61, 0, NULL, 0);
		tap_ok(score_code(&b) == DM_FMT_INVALID,
			   "score state: npos = 2^61 (byte count wraps to 0) is INVALID (fuzz regression)");
		score_build(&b, 2, 1, (INT64_C(1) << 61) - 1, NULL, 0);
		tap_ok(score_code(&b) == DM_FMT_INVALID,
			   "score state: npos + nneg = 2^61 is INVALID");
		score_build(&b, 0, 0, 0, NULL, 0);
		b.b[0] = 2;
		tap_ok(score_code(&b) == DM_FMT_VERSION, "score state: version 2 is VERSION");
		b.n = 10;
		tap_ok(score_code(&b) == DM_FMT_TRUNCATED, "score state: 10 bytes is TRUNCATED");
	}

	/* regression */
	b.n = 0;
	u8(&b, 1);
	for (i = 0; i < 7; i++)
		u8(&b, 0);
	host_i64(&b, 4);
	host_i64(&b, 3);
	for (i = 0; i < 13; i++)
		host_f64(&b, i + 0.5);
	tap_ok(dm_reg_state_decode(b.b, b.n, &sk, &rs, err, sizeof(err)) == DM_FMT_OK &&
		   sk == 4 && rs.n == 3 && rs.shift_y == 0.5 && rs.sum_err.c == 11.5 && rs.max_abs == 12.5,
		   "regression state: decodes");
	dm_reg_state_encode(sk, &rs, img);
	tap_ok(memcmp(img, b.b, b.n) == 0, "regression state: encode gives back the input bytes");
	tap_ok(prefixes_fail(&b, reg_code), "regression state: no proper prefix decodes");
	b.b[3] = 1;
	tap_ok(reg_code(&b) == DM_FMT_INVALID, "regression state: reserved byte set is INVALID");
	b.b[3] = 0;
	b.b[0] = 2;
	tap_ok(reg_code(&b) == DM_FMT_TRUNCATED, "regression state: version 2 is rejected (TRUNCATED: size/version)");
	b.b[0] = 1;
	memcpy(b.b + 16, &(int64_t) {-3}, 8);
	tap_ok(reg_code(&b) == DM_FMT_INVALID, "regression state: negative n is INVALID");
	b.n++;
	tap_ok(reg_code(&b) == DM_FMT_TRUNCATED, "regression state: 129 bytes is rejected");
}

int
main(void)
{
	test_confusion();
	test_category();
	test_states();
	return tap_done();
}
