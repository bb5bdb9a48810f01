/* append_options: option values into settings, and the combinations
 * swmr-append refuses, without argp or a process. */
#include <criterion/criterion.h>
#include <stdio.h>
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
    cr_assert(append_attr_parse(arg1, false, &a, why, sizeof why));
    cr_assert_str_eq(a.name, "count");
    cr_assert_eq(a.kind, ATTR_INT64);
    cr_assert_eq(a.i, 42);
    char arg2[] = "gain=2.5e-3";
    cr_assert(append_attr_parse(arg2, false, &a, why, sizeof why));
    cr_assert_eq(a.kind, ATTR_FLOAT64);
    cr_assert_eq(a.d, 2.5e-3);
    char arg3[] = "units=volts";
    cr_assert(append_attr_parse(arg3, false, &a, why, sizeof why));
    cr_assert_eq(a.kind, ATTR_STRING);
    cr_assert_str_eq(a.value, "volts");
    char arg4[] = "note=a=b";   /* the first '=' splits */
    cr_assert(append_attr_parse(arg4, false, &a, why, sizeof why));
    cr_assert_str_eq(a.name, "note");
    cr_assert_str_eq(a.value, "a=b");
    char arg5[] = "empty=";
    cr_assert(append_attr_parse(arg5, false, &a, why, sizeof why));
    cr_assert_eq(a.kind, ATTR_STRING);
    cr_assert_str_eq(a.value, "");
}

Test(append_options, attrs_that_are_not_name_value)
{
    char why[300];
    struct attr_spec a;
    char no_eq[] = "units";
    cr_assert_not(append_attr_parse(no_eq, false, &a, why, sizeof why));
    cr_assert_str_eq(why, "--attr wants NAME=VALUE, not 'units'");
    char no_name[] = "=3";
    cr_assert_not(append_attr_parse(no_name, false, &a, why, sizeof why));
    char long_name[300];
    memset(long_name, 'n', 256);
    strcpy(long_name + 256, "=1");
    cr_assert_not(append_attr_parse(long_name, false, &a, why, sizeof why));
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
    cr_assert(strstr(why, "--header and --columns=NAMES write the \"columns\" "
                     "attribute"), "%s", why);
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

/* --attr keeps every value it types: a number only where the number
 * prints back to the very text given. */
static enum attr_kind kind_of(const char *value)
{
    char arg[400], why[300];
    snprintf(arg, sizeof arg, "a=%s", value);
    struct attr_spec a;
    cr_assert(append_attr_parse(arg, false, &a, why, sizeof why));
    return a.kind;
}

Test(append_options, attrs_never_lose_information)
{
    const char *ints[] = { "0", "42", "-5", "9223372036854775807",
                           "-9223372036854775808" };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        cr_assert_eq(kind_of(ints[i]), ATTR_INT64, "%s", ints[i]);
    const char *floats[] = { "0.1", "1.5", "1.0", "-0.0", "2.5e-3", "1e3",
                             "1E3", "0.30000000000000004", ".5", "1e20",
                             "nan", "inf", "-inf", "-0", "1.0e3",
                             "NaN", "Infinity" /* as data lines read them */ };
    for (size_t i = 0; i < sizeof floats / sizeof *floats; i++)
        cr_assert_eq(kind_of(floats[i]), ATTR_FLOAT64, "%s", floats[i]);
    /* 2^63, past int64: exact as a double, but with more digits than
     * its shortest text, 9223372036854775808 -> 9.223372036854776e18. */
    const char *strings[] = { "9223372036854775808", "007", "1.10", "2.50", "+5", "99999999999999999999",
                              "0.30000000000000001", "1e400", "00.5", "1.50e3",
                              "3.14159265358979323846", "nan1",
                              "0x10", "1,5", " 1", "", "volts" };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        cr_assert_eq(kind_of(strings[i]), ATTR_STRING, "%s", strings[i]);
}

Test(append_options, attr_string_is_always_a_string)
{
    char why[300], arg[] = "id=42";
    struct attr_spec a;
    cr_assert(append_attr_parse(arg, true, &a, why, sizeof why));
    cr_assert_eq(a.kind, ATTR_STRING);
    cr_assert_str_eq(a.value, "42");
    char bad[] = "42";
    cr_assert_not(append_attr_parse(bad, true, &a, why, sizeof why));
    cr_assert_str_eq(why, "--attr-string wants NAME=VALUE, not '42'");
}

Test(append_options, type_lists_give_each_column_its_type)
{
    struct append_options o;
    char why[300];
    append_options_defaults(&o);
    cr_assert(append_types_parse("int32", &o, why, sizeof why));
    cr_assert_str_eq(o.type->name, "int32");
    cr_assert_eq(o.ntypes, 0);
    cr_assert(append_types_parse("float64, float32,uint32", &o, why, sizeof why));
    cr_assert_eq(o.ntypes, 3);
    cr_assert_str_eq(o.column_types[1]->name, "float32");
    cr_assert_str_eq(o.column_types[2]->name, "uint32");
    /* Even two of the same: a comma list is a compound. */
    cr_assert(append_types_parse("float64,float64", &o, why, sizeof why));
    cr_assert_eq(o.ntypes, 2);
    cr_assert_not(append_types_parse("float64,int33", &o, why, sizeof why));
    cr_assert(strstr(why, "column 2: unknown type 'int33'"), "%s", why);
    cr_assert_not(append_types_parse("float64,", &o, why, sizeof why));
    cr_assert(strstr(why, "column 2: unknown type ''"), "%s", why);
    cr_assert_not(append_types_parse("double", &o, why, sizeof why));
    append_options_free(&o);
}

Test(append_options, columns_are_a_count_or_names)
{
    struct append_options o;
    char why[300];
    append_options_defaults(&o);
    cr_assert(append_columns_parse("3", &o, why, sizeof why));
    cr_assert_eq(o.columns, 3);
    cr_assert_null(o.column_names);
    cr_assert(append_columns_parse("time (s), temp [\xC2\xB0" "C],n", &o, why, sizeof why));
    cr_assert_eq(o.columns, 3);
    cr_assert_str_eq(o.column_names[0], "time (s)");
    cr_assert_str_eq(o.column_names[1], "temp [\xC2\xB0" "C]");
    cr_assert_str_eq(o.column_names[2], "n");
    cr_assert_null(o.column_names[3]);
    cr_assert(append_columns_parse("temp", &o, why, sizeof why));
    cr_assert_eq(o.columns, 1);
    cr_assert_not(append_columns_parse("a,,b", &o, why, sizeof why));
    cr_assert(strstr(why, "name 2 is empty"), "%s", why);
    cr_assert_not(append_columns_parse("a,b,a", &o, why, sizeof why));
    cr_assert(strstr(why, "'a' names two columns"), "%s", why);
    cr_assert_not(append_columns_parse("0", &o, why, sizeof why));
    append_options_free(&o);
}

Test(append_options, list_and_count_must_agree)
{
    struct append_options o;
    char why[300];
    append_options_defaults(&o);
    o.file = "run.h5";
    cr_assert(append_types_parse("float64,int32", &o, why, sizeof why));
    o.columns = 3;
    cr_assert_not(append_options_check(&o, why, sizeof why));
    cr_assert_str_eq(why, "-t gives 2 types, --columns 3 columns");
    o.columns = 2;
    cr_assert(append_options_check(&o, why, sizeof why));
    cr_assert(append_columns_parse("x,time", &o, why, sizeof why));
    o.timestamp = true;
    cr_assert_not(append_options_check(&o, why, sizeof why));
    cr_assert(strstr(why, "names column 2 time too"), "%s", why);
    append_options_free(&o);
}

Test(append_options, skip_bad_space_form_is_refused)
{
    struct append_options o;
    char why[300];
    append_options_defaults(&o);
    o.skip_bad = true;
    o.file = "3";
    o.dataset = "run.h5";
    o.dataset_given = true;
    cr_assert_not(append_options_check(&o, why, sizeof why));
    cr_assert(strstr(why, "--skip-bad=3"), "%s", why);
    o.skip_count_given = true;   /* --skip-bad=2 3 run.h5: meant */
    cr_assert(append_options_check(&o, why, sizeof why));
    o.skip_count_given = false;
    o.file = "run.h5";
    o.dataset = "data";
    cr_assert(append_options_check(&o, why, sizeof why));
}

Test(append_options, names_must_be_utf8)
{
    cr_assert(text_is_utf8("temp [\xC2\xB0" "C]"));
    cr_assert(text_is_utf8("\xE2\x82\xAC \xF0\x9F\x98\x80"));
    cr_assert(text_is_utf8(""));
    const char *bad[] = { "caf\xE9", "\xC0\xAF" /* overlong '/' */,
                          "\xED\xA0\x80" /* a UTF-16 surrogate */,
                          "\xF4\x90\x80\x80" /* past U+10FFFF */, "\xE2\x82",
                          "\xF8\x88\x80\x80\x80", "\x80" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_not(text_is_utf8(bad[i]), "bad %zu", i);
    char *names[] = { "a", "caf\xE9", NULL };
    cr_assert(strstr(columns_names_bad(names, 2), "name 2 is not UTF-8"));
}
