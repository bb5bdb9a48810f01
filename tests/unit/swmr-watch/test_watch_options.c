/* swmr-watch's option checks: formats by name and the combinations that
 * are refused (the command line turns a refusal into exit status 64). */
#include <criterion/criterion.h>
#include <string.h>  /* strstr */

#include "watch_options.h"

static struct watch_options opts(void)
{
    struct watch_options o;
    watch_options_defaults(&o);
    o.file = "run.h5";
    return o;
}

Test(watch_options, defaults)
{
    struct watch_options o;
    watch_options_defaults(&o);
    cr_assert_eq(o.format, FORMAT_TEXT);
    cr_assert_float_eq(o.interval, 1.0, 1e-12);
    cr_assert_float_eq(o.min_interval, 0.0, 1e-12);
    cr_assert_not(o.follow || o.wait || o.once || o.values || o.poll_only ||
                  o.until_set);
    cr_assert_eq(o.count, 0);
    cr_assert_float_eq(o.timeout, 0.0, 1e-12);
}

Test(watch_options, formats_by_name)
{
    enum watch_format f = FORMAT_TEXT;
    cr_assert(watch_format_by_name("json", &f));
    cr_assert_eq(f, FORMAT_JSON);
    cr_assert(watch_format_by_name("tsv", &f));
    cr_assert_eq(f, FORMAT_TSV);
    cr_assert(watch_format_by_name("text", &f));
    cr_assert_eq(f, FORMAT_TEXT);
    cr_assert_not(watch_format_by_name("JSON", &f));
    cr_assert_not(watch_format_by_name("csv", &f));
    cr_assert_not(watch_format_by_name("", &f));
}

Test(watch_options, file_required)
{
    struct watch_options o;
    char why[128];
    watch_options_defaults(&o);
    cr_assert_not(watch_options_check(&o, why, sizeof why));
    cr_assert_str_eq(why, "no FILE given");
}

Test(watch_options, usable_combinations)
{
    char why[128];
    struct watch_options o = opts();
    cr_assert(watch_options_check(&o, why, sizeof why));
    o.wait = o.follow = o.values = true;
    o.until_set = true;
    o.count = 3;
    o.timeout = 2;
    o.min_interval = 0.5;
    cr_assert(watch_options_check(&o, why, sizeof why), "%s", why);
    o = opts();
    o.once = o.wait = true;
    cr_assert(watch_options_check(&o, why, sizeof why), "--once --wait: %s",
              why);
}

Test(watch_options, once_refuses_what_waits_for_later)
{
    char why[128];
    struct {
        const char *name;
        void (*set)(struct watch_options *);
    } cases[] = {
        { "--follow", NULL }, { "--until", NULL }, { "--count", NULL },
        { "--timeout", NULL }, { "--min-interval", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct watch_options o = opts();
        o.once = true;
        switch (i) {
        case 0: o.follow = true; break;
        case 1: o.until_set = true; break;
        case 2: o.count = 1; break;
        case 3: o.timeout = 1; break;
        case 4: o.min_interval = 1; break;
        }
        cr_assert_not(watch_options_check(&o, why, sizeof why), "%s",
                      cases[i].name);
        cr_expect(strstr(why, "--once") && strstr(why, cases[i].name),
                  "reason names both options: %s", why);
    }
}

Test(watch_options, once_with_values_prints_the_values_now)
{
    char why[128];
    struct watch_options o = opts();
    o.once = o.values = true;
    cr_assert(watch_options_check(&o, why, sizeof why), "%s", why);
    o.last_set = true;
    o.last = 3;
    cr_assert(watch_options_check(&o, why, sizeof why), "%s", why);
}

/* --list reads which datasets there are and exits: a DATASET to watch, or
 * an option that only a watch uses, means nothing with it; the message
 * options (-q, -v, --debug) are not noted as watch options at all. */
Test(watch_options, list_takes_file_alone)
{
    char why[128];
    struct watch_options o = opts();
    o.list = true;
    cr_assert(watch_options_check(&o, why, sizeof why), "%s", why);
    const char *names[] = { "data" };
    o.datasets = names;
    o.ndatasets = 1;
    cr_assert_not(watch_options_check(&o, why, sizeof why));
    cr_expect(strstr(why, "--list") && strstr(why, "without DATASET"),
              "%s", why);
}

Test(watch_options, list_refuses_watch_options)
{
    char why[128];
    struct watch_options o = opts();
    o.list = true;
    o.watch_option = "format";
    cr_assert_not(watch_options_check(&o, why, sizeof why));
    cr_expect_str_eq(why, "--list and --format may not be combined");
    /* Before the checks of the watch's own combinations. */
    o.watch_option = "once";
    o.once = o.follow = true;
    cr_assert_not(watch_options_check(&o, why, sizeof why));
    cr_expect_str_eq(why, "--list and --once may not be combined");
}

/* The rows already there that a start line shows: --last's, all of them
 * for --once, none otherwise (only new rows, as before --last); never any
 * without --values. */
Test(watch_options, last_rows_of_the_start_line)
{
    struct watch_options o = opts();
    cr_assert_eq(watch_options_last(&o), 0);
    o.values = true;
    cr_assert_eq(watch_options_last(&o), 0, "tail -f: new rows only");
    o.once = true;
    cr_assert_eq(watch_options_last(&o), WATCH_LAST_ALL, "--once: all");
    o.last_set = true;
    o.last = 3;
    cr_assert_eq(watch_options_last(&o), 3, "--once --last=3");
    o.last = 0;
    cr_assert_eq(watch_options_last(&o), 0, "--once --last=0: none");
    o.once = false;
    o.last = 7;
    cr_assert_eq(watch_options_last(&o), 7);
    o.last = WATCH_LAST_ALL;
    cr_assert_eq(watch_options_last(&o), WATCH_LAST_ALL);
    o.values = false;
    cr_assert_eq(watch_options_last(&o), 0, "no values, no rows");
}

/* ---- FILE/DATASET in one argument ---- */

/* The regular files of a fake file system: a NULL-terminated list. */
static bool listed(const char *path, void *ctx)
{
    for (const char *const *f = ctx; *f; f++)
        if (strcmp(*f, path) == 0)
            return true;
    return false;
}

static size_t split(const char *arg, const char *const *files)
{
    return watch_split_file_dataset(arg, listed, (void *)files);
}

Test(split_file_dataset, at_the_file)
{
    const char *const files[] = { "run.h5", "dir/run.h5", "/abs/r.h5", NULL };
    cr_assert_eq(split("run.h5/data", files), 6);
    cr_assert_eq(split("run.h5/grp/x", files), 6);
    cr_assert_eq(split("dir/run.h5/grp/x", files), 10);
    cr_assert_eq(split("/abs/r.h5/d", files), 9);
    cr_assert_eq(split("run.h5//data", files), 6, "at the file, not at '/'");
}

Test(split_file_dataset, nothing_to_split)
{
    const char *const files[] = { "run.h5", "a/b.h5", NULL };
    cr_assert_eq(split("run.h5", files), 0, "a file is a file");
    cr_assert_eq(split("a/b.h5", files), 0, "in a directory");
    cr_assert_eq(split("new.h5/data", files), 0, "no such file (yet)");
    cr_assert_eq(split("run.h5/", files), 0, "no dataset after it");
    cr_assert_eq(split("run.h5//", files), 0);
    cr_assert_eq(split("/data", files), 0);
    cr_assert_eq(split("", files), 0);
}

Test(split_file_dataset, the_longest_prefix_that_is_a_file)
{
    /* "x.h5" a file and "x.h5/y.h5" too cannot both be on one file
     * system; the rule still picks the longer one. */
    const char *const files[] = { "x.h5", "x.h5/y.h5", NULL };
    cr_assert_eq(split("x.h5/y.h5/d", files), 9);
    const char *const whole[] = { "x.h5/d", "x.h5", NULL };
    cr_assert_eq(split("x.h5/d", whole), 0, "the whole argument is a file");
}

Test(watch_fields, split_at_commas)
{
    char **f = NULL, why[256];
    size_t n = 0;
    cr_assert(watch_split_fields("time,pos.x,name", &f, &n, why, sizeof why));
    cr_assert_eq(n, 3);
    cr_expect_str_eq(f[0], "time");
    cr_expect_str_eq(f[1], "pos.x");
    cr_expect_str_eq(f[2], "name");
    watch_fields_free(f, n);
}

Test(watch_fields, empty_and_repeated_names_refused)
{
    char **f = NULL, why[256];
    size_t n = 0;
    const char *bad[] = { "", "a,,b", "a,", ",a" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_not(watch_split_fields(bad[i], &f, &n, why, sizeof why),
                      "'%s'", bad[i]);
        cr_expect(strstr(why, "empty name"), "%s", why);
    }
    cr_assert_not(watch_split_fields("color,ok,color", &f, &n, why,
                                     sizeof why));
    cr_expect_str_eq(why, "--fields: 'color' is named twice");
}
