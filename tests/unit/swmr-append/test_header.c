#include "header.h"

#include <criterion/criterion.h>
#include <stdio.h>  /* snprintf */
#include <stdlib.h> /* malloc, free */
#include <string.h> /* memcpy, strcmp, strlen */

/* ---- helpers ------------------------------------------------------------ */

/* The line in a block of exactly LEN bytes, no terminator: valgrind and
 * AddressSanitizer then catch any read past its end. */
static enum header_status split(const char *line, size_t len, char delim,
                                bool commas, size_t columns,
                                struct header_names *out, size_t *bad)
{
    char *copy = malloc(len ? len : 1);
    cr_assert_not_null(copy);
    memcpy(copy, line, len);
    enum header_status st = header_split(copy, len, delim, commas, columns,
                                         out, bad);
    free(copy);    /* the names must be copies, not pointers into it */
    return st;
}

/* LINE must split into exactly the N names in WANT. */
static void expect(const char *line, char delim, bool commas, size_t columns,
                   size_t n, const char *const *want)
{
    struct header_names h;
    size_t bad = 99;
    enum header_status st = split(line, strlen(line), delim, commas, columns,
                                  &h, &bad);
    cr_assert_eq(st, HEADER_OK, "'%s' (delim %d): status %d, name %zu",
                 line, delim, st, bad);
    cr_assert_eq(bad, 0);
    cr_assert_eq(h.count, n, "'%s' (delim %d): %zu names", line, delim, h.count);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(h.names[i], want[i], "'%s': name %zu is '%s', not '%s'",
                         line, i + 1, h.names[i], want[i]);
    cr_assert_null(h.names[n], "names[count] is NULL");
    header_names_free(&h);
}

#define EXPECT(line, delim, commas, columns, ...)                          \
    expect(line, delim, commas, columns,                                   \
           sizeof (const char *[]){ __VA_ARGS__ } / sizeof (const char *), \
           (const char *[]){ __VA_ARGS__ })

/* LINE must fail with ST at name BAD, leaving nothing to free. */
static void refuse(const char *line, size_t len, char delim, bool commas,
                   size_t columns, enum header_status want, size_t want_bad)
{
    struct header_names h = { (char **)&h, 42 };   /* garbage in */
    size_t bad = 99;
    enum header_status st = split(line, len, delim, commas, columns, &h, &bad);
    cr_assert_eq(st, want, "'%.*s' (delim %d): status %d, not %d",
                 (int)len, line, delim, st, want);
    cr_assert_eq(bad, want_bad, "'%.*s': name %zu, not %zu",
                 (int)len, line, bad, want_bad);
    cr_assert_null(h.names);
    cr_assert_eq(h.count, 0);
    header_names_free(&h);
}

#define REFUSE(line, delim, commas, columns, st, bad) \
    refuse(line, strlen(line), delim, commas, columns, st, bad)

/* ---- rule 1: commas ----------------------------------------------------- */

Test(header, a_comma_makes_names_that_hold_spaces)
{
    EXPECT("time (s),temp [°C]", 0, false, 0, "time (s)", "temp [°C]");
    EXPECT("time (s),temp [°C]", 0, false, 2, "time (s)", "temp [°C]");
}

Test(header, comma_names_are_trimmed_of_blanks)
{
    EXPECT(" a , b\t,\tc d ", 0, false, 0, "a", "b", "c d");
}

Test(header, a_comma_outweighs_one_column_of_data)
{
    EXPECT("a b,c", 0, false, 1, "a b", "c");
}

Test(header, data_commas_force_comma_names)
{
    EXPECT("time (s)", 0, true, 0, "time (s)");
    EXPECT("time (s)", 0, true, 2, "time (s)");
    EXPECT("time (s)", 0, false, 2, "time", "(s)");
}

Test(header, empty_comma_names_are_refused_with_their_index)
{
    REFUSE("a,,b", 0, false, 0, HEADER_EMPTY_NAME, 2);
    REFUSE(",a", 0, false, 0, HEADER_EMPTY_NAME, 1);
    REFUSE("a,", 0, false, 0, HEADER_EMPTY_NAME, 2);
    REFUSE("a, \t,b", 0, false, 0, HEADER_EMPTY_NAME, 2);
    REFUSE("a,b,c, ", 0, false, 0, HEADER_EMPTY_NAME, 4);
}

/* ---- rules 2 and 3: no comma -------------------------------------------- */

Test(header, one_column_of_data_takes_the_whole_line)
{
    EXPECT("  temp [°C] \t", 0, false, 1, "temp [°C]");
    EXPECT("a \t b", 0, false, 1, "a \t b");
}

Test(header, blank_runs_separate_names_otherwise)
{
    EXPECT("time temp", 0, false, 0, "time", "temp");
    EXPECT(" time \t temp  x\t", 0, false, 3, "time", "temp", "x");
    EXPECT("temp [°C]", 0, false, 2, "temp", "[°C]");
    EXPECT("single", 0, false, 0, "single");
}

/* ---- rule 4: a forced delimiter ----------------------------------------- */

Test(header, forced_tab_separates_at_each_tab)
{
    EXPECT("time (s)\ttemp, °C", '\t', false, 0, "time (s)", "temp, °C");
    EXPECT(" a \t b ", '\t', false, 0, "a", "b");
    REFUSE("a\t\tb", '\t', false, 0, HEADER_EMPTY_NAME, 2);
    REFUSE("a \t \t b", '\t', false, 0, HEADER_EMPTY_NAME, 2);
}

Test(header, forced_tab_trims_the_line_as_data_lines_are)
{
    /* record_split trims a data line's outer blanks, tabs included: a
     * header with the same tabs names as many columns as its data has. */
    EXPECT("\ta\tb\t", '\t', false, 0, "a", "b");
    REFUSE("\t\t", '\t', false, 0, HEADER_EMPTY_NAME, 1);
}

Test(header, forced_space_separates_at_runs_of_spaces)
{
    EXPECT("a   b \t c", ' ', false, 0, "a", "b", "c");
    EXPECT("a\tb c", ' ', false, 0, "a\tb", "c");
}

Test(header, forced_character_separates_at_each_one)
{
    EXPECT("time (s); temp ;x,y", ';', false, 0, "time (s)", "temp", "x,y");
    EXPECT("a b", ';', false, 2, "a b");
    REFUSE("a;;b", ';', false, 0, HEADER_EMPTY_NAME, 2);
    REFUSE("a;b;", ';', false, 0, HEADER_EMPTY_NAME, 3);
}

Test(header, forced_delimiter_ignores_data_commas_and_columns)
{
    EXPECT("a b|c", '|', true, 1, "a b", "c");
}

/* ---- rule 5: quotes ----------------------------------------------------- */

Test(header, quoted_names_hold_the_delimiter)
{
    EXPECT("\"temp, °C\",\"a,b\",c", 0, false, 0, "temp, °C", "a,b", "c");
    EXPECT("\"time (s)\" temp", 0, false, 0, "time (s)", "temp");
    EXPECT("\"a\tb\"\tc", '\t', false, 0, "a\tb", "c");
    EXPECT("\"a;b\";c", ';', false, 0, "a;b", "c");
    EXPECT("\"a b\"  c", ' ', false, 0, "a b", "c");
}

Test(header, a_comma_inside_quotes_alone_is_no_comma_mode)
{
    EXPECT("\"temp, °C\"", 0, false, 1, "temp, °C");
    EXPECT("\"a,b\" c", 0, false, 0, "a,b", "c");
    /* A quote after a blank may start a name: still inside quotes. */
    EXPECT("a \"b,c\"", 0, false, 0, "a", "b,c");
}

Test(header, doubled_quotes_are_one_literal_quote)
{
    EXPECT("\"say \"\"hi\"\"\",x", 0, false, 0, "say \"hi\"", "x");
    EXPECT("\"\"\"\"", 0, false, 0, "\"");
    EXPECT("\"a\"\",b\",c", 0, false, 0, "a\",b", "c");
}

Test(header, blanks_inside_quotes_stay_blanks_outside_go)
{
    EXPECT("\" a \" , b", 0, false, 0, " a ", "b");
    EXPECT("  \"a\"\t", 0, false, 1, "a");
}

Test(header, a_quote_not_at_a_names_start_is_literal)
{
    EXPECT("a\"b,c\"d", 0, false, 0, "a\"b", "c\"d");
    EXPECT("size 5\"", 0, false, 0, "size", "5\"");
    EXPECT("time (s) \"x\",y", 0, false, 0, "time (s) \"x\"", "y");
}

Test(header, text_after_a_closing_quote_is_refused)
{
    REFUSE("\"a\"b,c", 0, false, 0, HEADER_AFTER_QUOTE, 1);
    REFUSE("x,\"a\" b", 0, false, 0, HEADER_AFTER_QUOTE, 2);
    REFUSE("\"a\"b c", 0, false, 0, HEADER_AFTER_QUOTE, 1);
    REFUSE("\"a\" \"b\"", 0, false, 1, HEADER_AFTER_QUOTE, 1);
    REFUSE("\"a\"\"", '\t', false, 0, HEADER_OPEN_QUOTE, 1);
}

Test(header, an_unclosed_quote_is_refused)
{
    REFUSE("\"a,b", 0, false, 0, HEADER_OPEN_QUOTE, 1);
    REFUSE("x,\"a", 0, false, 0, HEADER_OPEN_QUOTE, 2);
    REFUSE("x,\"a\"\"", 0, false, 0, HEADER_OPEN_QUOTE, 2);
    REFUSE("x \"a b", 0, false, 0, HEADER_OPEN_QUOTE, 2);
    REFUSE("\"", 0, false, 1, HEADER_OPEN_QUOTE, 1);
}

Test(header, an_empty_quoted_name_is_empty)
{
    REFUSE("a,\"\",b", 0, false, 0, HEADER_EMPTY_NAME, 2);
    REFUSE("\"\"", 0, false, 1, HEADER_EMPTY_NAME, 1);
}

Test(header, a_quote_delimiter_does_not_quote)
{
    EXPECT("a\"b c\"d", '"', false, 0, "a", "b c", "d");
}

/* ---- rule 6: numbers ---------------------------------------------------- */

Test(header, all_numeric_names_look_like_data)
{
    REFUSE("1,2,3", 0, false, 0, HEADER_ALL_NUMBERS, 0);
    REFUSE("1 2.5 -3e4", 0, false, 0, HEADER_ALL_NUMBERS, 0);
    REFUSE("nan,inf", 0, false, 0, HEADER_ALL_NUMBERS, 0);
    REFUSE("\"1\",\"2\"", 0, false, 0, HEADER_ALL_NUMBERS, 0);
    REFUSE("42", 0, false, 1, HEADER_ALL_NUMBERS, 0);
    REFUSE(" 0.5\t1e400", '\t', false, 0, HEADER_ALL_NUMBERS, 0);
}

Test(header, some_numeric_names_are_fine)
{
    EXPECT("x,1,y", 0, false, 0, "x", "1", "y");
    EXPECT("1 x", 0, false, 0, "1", "x");
    EXPECT("\" 1\"", 0, false, 1, " 1");
    EXPECT("0x10", 0, false, 1, "0x10");
}

/* ---- rule 7: empty lines, exact bytes ----------------------------------- */

Test(header, an_empty_or_blank_line_is_an_empty_first_name)
{
    REFUSE("", 0, false, 0, HEADER_EMPTY_NAME, 1);
    REFUSE(" \t ", 0, false, 0, HEADER_EMPTY_NAME, 1);
    REFUSE("\r", 0, false, 1, HEADER_EMPTY_NAME, 1);
    REFUSE("\xEF\xBB\xBF  \r", ',', false, 0, HEADER_EMPTY_NAME, 1);
}

Test(header, utf8_names_keep_their_bytes_and_case)
{
    EXPECT("Température,σ_x,温度 (°C),TEMP,temp", 0, false, 0,
           "Température", "σ_x", "温度 (°C)", "TEMP", "temp");
    /* A no-break space is not a blank: part of the name. */
    EXPECT("a\xC2\xA0" "b c", 0, false, 0, "a\xC2\xA0" "b", "c");
}

Test(header, a_leading_bom_goes)
{
    EXPECT("\xEF\xBB\xBFtime,temp", 0, false, 0, "time", "temp");
    EXPECT("\xEF\xBB\xBF\"a b\",c", 0, false, 0, "a b", "c");
    EXPECT("a,\xEF\xBB\xBF" "b", 0, false, 0, "a", "\xEF\xBB\xBF" "b");
}

Test(header, a_trailing_cr_goes)
{
    EXPECT("a,b\r", 0, false, 0, "a", "b");
    EXPECT("\"a\",\"b\"\r", 0, false, 0, "a", "b");
    EXPECT("a\tb \r", '\t', false, 0, "a", "b");
}

Test(header, a_nul_byte_is_refused)
{
    refuse("a\0b", 3, 0, false, 0, HEADER_NUL, 0);
    refuse("\"a\0\"", 4, 0, false, 1, HEADER_NUL, 0);
}

/* ---- rule 8: memory ----------------------------------------------------- */

Test(header, many_long_names)
{
    enum { N = 20000, LONG = 100000 };
    size_t size = (size_t)N * 8 + LONG + 4;
    char *line = malloc(size), *p = line;
    cr_assert_not_null(line);
    for (int i = 0; i < N; i++)
        p += sprintf(p, "n%d,", i);
    memset(p, 'x', LONG);
    p += LONG;

    struct header_names h;
    size_t bad;
    cr_assert_eq(split(line, (size_t)(p - line), 0, false, 0, &h, &bad),
                 HEADER_OK);
    cr_assert_eq(h.count, (size_t)N + 1);
    cr_assert_str_eq(h.names[0], "n0");
    cr_assert_str_eq(h.names[N - 1], "n19999");
    cr_assert_eq(strlen(h.names[N]), (size_t)LONG);
    cr_assert_null(h.names[N + 1]);
    header_names_free(&h);
    free(line);
}

Test(header, free_is_safe_when_empty_or_twice)
{
    struct header_names h = { NULL, 0 };
    header_names_free(&h);
    cr_assert_eq(header_split("a b", 3, 0, false, 0, &h, NULL), HEADER_OK);
    header_names_free(&h);
    cr_assert_null(h.names);
    cr_assert_eq(h.count, 0);
    header_names_free(&h);
}

Test(header, bad_may_be_null)
{
    struct header_names h;
    cr_assert_eq(header_split("a,,b", 4, 0, false, 0, &h, NULL),
                 HEADER_EMPTY_NAME);
    cr_assert_null(h.names);
}

/* ---- messages ----------------------------------------------------------- */

Test(header, each_status_has_a_reason)
{
    static const struct {
        enum header_status s;
        size_t bad;
        const char *text;
    } cases[] = {
        { HEADER_EMPTY_NAME, 2, "header name 2 is empty" },
        { HEADER_OPEN_QUOTE, 3, "header name 3: its double quote never closes" },
        { HEADER_AFTER_QUOTE, 1, "header name 1: text after its closing quote" },
        { HEADER_ALL_NUMBERS, 0,
          "header names are all numbers: is it data (drop --header)?" },
        { HEADER_NUL, 0, "header holds a NUL byte" },
        { HEADER_NO_MEMORY, 0, "header: out of memory" },
        { HEADER_OK, 0, "header: no error" },
        { (enum header_status)99, 0, "header: unknown fault" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[96];
        header_status_text(cases[i].s, cases[i].bad, buf, sizeof buf);
        cr_assert_str_eq(buf, cases[i].text);
    }
    char small[8];
    header_status_text(HEADER_EMPTY_NAME, 12, small, sizeof small);
    cr_assert_str_eq(small, "header ");
}
