/* append_options: option values into settings, and the combinations
 * swmr-append refuses, without argp or a process. */
#include <criterion/criterion.h>
#include <string.h>

#include "append_options.h"

Test(append_options, defaults)
{
    struct append_options o;
    append_options_defaults(&o);
    cr_assert_str_eq(o.dataset, "data");
    cr_assert_str_eq(o.type->name, "float64");
    cr_assert_float_eq(o.flush_interval, 0.1, 1e-12);
    cr_assert_eq(o.compress, -1);
    cr_assert_eq(o.skip_report_limit, 10);
}

Test(append_options, delimiters)
{
    char c;
    cr_assert(append_delimiter_by_name("tab", &c) && c == '\t');
    cr_assert(append_delimiter_by_name("\\t", &c) && c == '\t');
    cr_assert(append_delimiter_by_name("space", &c) && c == ' ');
    cr_assert(append_delimiter_by_name(";", &c) && c == ';');
    cr_assert(append_delimiter_by_name("|", &c) && c == '|');
    /* Anything that can be part of a number, or more than one character. */
    const char *bad[] = { "e", "n", "1", ".", "+", "-", "#", ";;", "" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_not(append_delimiter_by_name(bad[i], &c), "'%s'", bad[i]);
}

Test(append_options, attrs_are_typed_once)
{
    char why[300];
    struct attr_spec a;
    char arg1[] = "count=42";
    cr_assert(append_attr_parse(arg1, &a, why, sizeof why));
    cr_assert_str_eq(a.name, "count");
    cr_assert_eq(a.kind, ATTR_INT64);
    cr_assert_eq(a.i, 42);
    char arg2[] = "gain=2.5e-3";
    cr_assert(append_attr_parse(arg2, &a, why, sizeof why));
    cr_assert_eq(a.kind, ATTR_FLOAT64);
    cr_assert_eq(a.d, 2.5e-3);
    char arg3[] = "units=volts";
    cr_assert(append_attr_parse(arg3, &a, why, sizeof why));
    cr_assert_eq(a.kind, ATTR_STRING);
    cr_assert_str_eq(a.value, "volts");
    char arg4[] = "note=a=b";   /* the first '=' splits */
    cr_assert(append_attr_parse(arg4, &a, why, sizeof why));
    cr_assert_str_eq(a.name, "note");
    cr_assert_str_eq(a.value, "a=b");
    char arg5[] = "empty=";
    cr_assert(append_attr_parse(arg5, &a, why, sizeof why));
    cr_assert_eq(a.kind, ATTR_STRING);
    cr_assert_str_eq(a.value, "");
}

Test(append_options, attrs_that_are_not_name_value)
{
    char why[300];
    struct attr_spec a;
    char no_eq[] = "units";
    cr_assert_not(append_attr_parse(no_eq, &a, why, sizeof why));
    cr_assert_str_eq(why, "--attr wants NAME=VALUE, not 'units'");
    char no_name[] = "=3";
    cr_assert_not(append_attr_parse(no_name, &a, why, sizeof why));
    char long_name[300];
    memset(long_name, 'n', 256);
    strcpy(long_name + 256, "=1");
    cr_assert_not(append_attr_parse(long_name, &a, why, sizeof why));
    cr_assert_str_eq(why, "--attr NAME may have at most 255 characters");
}

Test(append_options, dataset_names)
{
    const char *good[] = { "data", "/data", "/grid/xyz", "a/b/c", "..x", ".x" };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        cr_assert(append_dataset_name_ok(good[i]), "%s", good[i]);
    const char *bad[] = { "", "/", "a//b", "a/", "./a", "a/../b", "..", "." };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_not(append_dataset_name_ok(bad[i]), "'%s'", bad[i]);
}

Test(append_options, combinations)
{
    char why[300];
    struct append_options o;
    append_options_defaults(&o);
    cr_assert_not(append_options_check(&o, why, sizeof why));
    cr_assert_str_eq(why, "no FILE given");
    o.file = "run.h5";
    cr_assert(append_options_check(&o, why, sizeof why));
    o.append = o.force = true;
    cr_assert_not(append_options_check(&o, why, sizeof why));
    cr_assert_str_eq(why, "--append and --force may not be combined");
    o.force = false;
    o.dataset = "a//b";
    cr_assert_not(append_options_check(&o, why, sizeof why));
    cr_assert_str_eq(why, "DATASET 'a//b' is not a dataset path (like data or "
                          "/group/data)");
    o.dataset = "";
    cr_assert_not(append_options_check(&o, why, sizeof why));
    cr_assert_str_eq(why, "FILE and DATASET may not be empty");
    o.dataset = "data";
    struct attr_spec columns = { .name = "columns", .value = "x" };
    o.attrs = &columns;
    o.nattrs = 1;
    cr_assert(append_options_check(&o, why, sizeof why));
    o.header = true;
    cr_assert_not(append_options_check(&o, why, sizeof why));
    cr_assert(strstr(why, "--header writes the \"columns\" attribute"), "%s", why);
}

Test(append_options, input_format_names)
{
    bool binary = true;
    cr_assert(append_input_format_by_name("text", &binary));
    cr_assert_not(binary);
    cr_assert(append_input_format_by_name("binary", &binary));
    cr_assert(binary);
    cr_assert_not(append_input_format_by_name("bin", &binary));
    cr_assert_not(append_input_format_by_name("", &binary));
}

Test(append_options, binary_refuses_text_only_options)
{
    struct append_options o;
    char why[256];
    append_options_defaults(&o);
    o.file = "run.h5";
    o.binary = true;
    cr_assert(append_options_check(&o, why, sizeof why));
    o.header = true;
    cr_assert_not(append_options_check(&o, why, sizeof why));
    cr_assert(strstr(why, "--header"), "%s", why);
    o.header = false;
    o.delimiter_given = true;
    cr_assert_not(append_options_check(&o, why, sizeof why));
    o.delimiter_given = false;
    o.skip_bad = true;
    cr_assert_not(append_options_check(&o, why, sizeof why));
}
