#include "watch_options.h"

#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* calloc, free */
#include <string.h> /* strcmp, strdup, strlen */

void watch_options_defaults(struct watch_options *o)
{
    *o = (struct watch_options){
        .format = FORMAT_TEXT,
        .interval = 1.0,
    };
}

bool watch_format_by_name(const char *name, enum watch_format *out)
{
    static const struct { const char *name; enum watch_format f; } names[] = {
        { "text", FORMAT_TEXT }, { "tsv", FORMAT_TSV }, { "json", FORMAT_JSON },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].f;
            return true;
        }
    return false;
}

bool watch_split_fields(const char *arg, char ***fields, size_t *n,
                        char *why, size_t size)
{
    size_t count = 1;
    for (const char *c = arg; *c; c++)
        count += *c == ',';
    char **out = calloc(count, sizeof *out);
    if (!out) {
        snprintf(why, size, "out of memory");
        return false;
    }
    const char *start = arg;
    for (size_t i = 0; i < count; i++) {
        const char *end = strchrnul(start, ',');
        if (end == start) {
            snprintf(why, size, "--fields: '%s' has an empty name (names "
                     "are separated by single commas)", arg);
            watch_fields_free(out, i);
            return false;
        }
        out[i] = strndup(start, (size_t)(end - start));
        if (!out[i]) {
            snprintf(why, size, "out of memory");
            watch_fields_free(out, i);
            return false;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(out[j], out[i]) == 0) {
                snprintf(why, size, "--fields: '%s' is named twice", out[i]);
                watch_fields_free(out, i + 1);
                return false;
            }
        start = end + 1;
    }
    *fields = out;
    *n = count;
    return true;
}

void watch_fields_free(char **fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(fields[i]);
    free(fields);
}

size_t watch_split_file_dataset(const char *arg,
                                bool (*is_file)(const char *path, void *ctx),
                                void *ctx)
{
    if (is_file(arg, ctx))
        return 0;
    char *prefix = strdup(arg);
    if (!prefix)
        return 0;
    size_t split = 0;
    /* From the right: the longest prefix wins ("a.h5/b.h5/x" is dataset x
     * of a.h5/b.h5 when a.h5 is a directory). */
    for (size_t i = strlen(arg); i-- > 1 && !split;) {
        if (arg[i] != '/')
            continue;
        const char *rest = arg + i;
        while (*rest == '/')
            rest++;
        prefix[i] = '\0';
        if (*rest && is_file(prefix, ctx))
            split = i;
    }
    free(prefix);
    return split;
}

bool watch_options_check(const struct watch_options *o, char *why,
                         size_t size)
{
    if (!o->file) {
        snprintf(why, size, "no FILE given");
        return false;
    }
    if (!*o->file) {
        snprintf(why, size, "FILE may not be empty");
        return false;
    }
    /* --list only reads which datasets there are: it has nothing to watch
     * (or wait for), and it lists them all. */
    if (o->list && o->ndatasets) {
        snprintf(why, size, "--list lists every dataset of FILE that can "
                 "grow: give FILE alone, without DATASET");
        return false;
    }
    if (o->list && o->watch_option) {
        snprintf(why, size, "--list and --%s may not be combined",
                 o->watch_option);
        return false;
    }
    if (o->nfields && !o->values) {
        snprintf(why, size, "--fields picks what --values prints: add "
                 "--values (-r)");
        return false;
    }
    /* --once prints what is there and stops: anything that waits for a
     * later event contradicts it. --wait is fine: wait for the file, then
     * print; --values too: the values there now. */
    if (o->once) {
        const char *other = o->follow ? "--follow"
                          : o->until_set ? "--until"
                          : o->count ? "--count"
                          : o->timeout > 0 ? "--timeout"
                          : o->min_interval > 0 ? "--min-interval"
                          : NULL;
        if (other) {
            snprintf(why, size, "--once and %s may not be combined", other);
            return false;
        }
    }
    return true;
}

uint64_t watch_options_last(const struct watch_options *o)
{
    if (!o->values)
        return 0;
    return o->last_set ? o->last : o->once ? WATCH_LAST_ALL : 0;
}
