#include "h5err.h"
#include "report.h"

#include <hdf5.h>
#include <stdio.h>  /* stderr, snprintf */
#include <string.h> /* strstr, strchr */

static hid_t kept = H5I_INVALID_HID; /* copy of the last failure's stack */
static char captured[4096];           /* its messages, '\n'-separated */
static char innermost[512];           /* the cause, shortened */
static bool cause_found;              /* innermost holds a message outside
                                         the plugin loader */

/* "..., errno = 27, error message = 'File too large', ..." says it all in
 * the quoted part; keep only that. */
static void shorten(const char *desc)
{
    const char *m = strstr(desc, "error message = '");
    if (m) {
        m += strlen("error message = '");
        const char *end = strchr(m, '\'');
        int len = end ? (int)(end - m) : (int)strlen(m);
        snprintf(innermost, sizeof innermost, "%.*s", len, m);
    } else {
        snprintf(innermost, sizeof innermost, "%s", desc);
    }
}

/* Walked from the innermost message out. The cause is the innermost one,
 * except that HDF5's plugin loader (major H5E_PLUGIN) is no cause: when a
 * filter is missing, the loader's messages ("can't open directory: .../
 * plugins") only say where it looked, and the one around them says what
 * was missing ("required filter 'lzf' is not registered"). */
static herr_t collect(unsigned n, const H5E_error2_t *e, void *unused)
{
    (void)n, (void)unused;
    if (!e->desc || !*e->desc)
        return 0;
    bool loader = e->maj_num == H5E_PLUGIN;
    if (!cause_found && (!loader || !innermost[0]))
        shorten(e->desc);
    cause_found |= !loader;
    size_t used = strlen(captured);
    snprintf(captured + used, sizeof captured - used, "%s\n", e->desc);
    return 0;
}

void h5err_clear(void)
{
    if (kept >= 0)
        H5Eclose_stack(kept);
    kept = H5I_INVALID_HID;
    captured[0] = innermost[0] = '\0';
    cause_found = false;
}

/* HDF5 calls this when an API call fails, with the stack still whole. */
static herr_t keep_stack(hid_t stack, void *unused)
{
    (void)stack;
    (void)unused;
    /* Copy the live stack before anything else: H5Eclose_stack, like every
     * API call that can fail, empties the live stack on entry, so closing
     * the last copy first left every failure after the first one without
     * a message. */
    hid_t now = H5Eget_current_stack();
    h5err_clear();
    kept = now;
    if (kept >= 0)
        H5Ewalk2(kept, H5E_WALK_UPWARD, collect, NULL);
    return 0;
}

void h5err_silence(void)
{
    H5Eset_auto2(H5E_DEFAULT, keep_stack, NULL);
}

void h5err_debug_print(void)
{
    if (!report.debug || kept < 0)
        return;
    if (report.around_message)
        report.around_message(true);
    H5Eprint2(kept, stderr);
    if (report.around_message)
        report.around_message(false);
}

const char *h5err_detail(void)
{
    return innermost;
}

bool h5err_mentions(const char *needle)
{
    return strstr(captured, needle) != NULL;
}
