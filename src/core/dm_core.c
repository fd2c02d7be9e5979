/*
 * dm_core.c
 *		Default (stand-alone) implementations of the core's host services.
 */
#include "dm_core.h"

#include <stdlib.h>

/* dm_malloc_or_die: malloc for stand-alone use; the core never checks NULL. */
static void *
dm_malloc_or_die(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		abort();
	return p;
}

void	   *(*dm_alloc) (size_t size) = dm_malloc_or_die;
void		(*dm_free) (void *ptr) = free;
void		(*dm_interrupt) (void) = NULL;
