#include "h5err.h"
#include "report.h"

#include <hdf5.h>
#include <stdio.h>  /* stderr */
#include <string.h> /* strstr */

/* Every description on the stack, innermost first, separated by '\n'. */
static char captured[4096];
static char innermost[512];

void h5err_silence(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static herr_t collect(unsigned n, const H5E_error2_t *e, void *unused)
{
    (void)unused;
    if (!e->desc || !*e->desc)
        return 0;
    if (n == 0)
        snprintf(innermost, sizeof innermost, "%s", e->desc);
    size_t used = strlen(captured);
    snprintf(captured + used, sizeof captured - used, "%s\n", e->desc);
    return 0;
}

void h5err_capture(void)
{
    captured[0] = '\0';
    innermost[0] = '\0';
    if (report.debug)
        H5Eprint2(H5E_DEFAULT, stderr);
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, NULL);
}

const char *h5err_detail(void)
{
    return innermost;
}

bool h5err_mentions(const char *needle)
{
    return strstr(captured, needle) != NULL;
}
