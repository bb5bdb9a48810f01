#include "append_options.h"
#include "record.h"   /* field_parse: an attribute's number, as a field's */

#include "numarg.h"

#include <ctype.h>    /* isalnum */
#include <inttypes.h> /* PRId64 */
#include <stdio.h>    /* snprintf */
#include <stdlib.h>   /* calloc, free, strtod */
#include <string.h>   /* strchr, strcmp, strcspn, strlen, strndup */
#include <strings.h>  /* strcasecmp */

void append_options_defaults(struct append_options *o)
{
    *o = (struct append_options){
        .dataset = "data",
        .type = type_by_name("float64"),
        .flush_interval = 0.1,
        .compress = -1,
        .skip_report_limit = 10,
    };
}

bool append_delimiter_by_name(const char *name, char *out)
{
    if (strcmp(name, "tab") == 0 || strcmp(name, "\\t") == 0)
        *out = '\t';
    else if (strcmp(name, "space") == 0)
        *out = ' ';
    /* Letters too: nan, inf and exponents are made of them. */
    else if (strlen(name) != 1 || strchr("#.+-", name[0]) ||
             isalnum((unsigned char)name[0]))
        return false;
    else
        *out = name[0];
    return true;
}

/* VALUE is the int64's own text: no '+', no leading zero, no exponent. */
static bool plain_int64(const char *value, int64_t *out)
{
    char back[24];
    if (field_parse(value, strlen(value), type_by_name("int64"), out) != FIELD_OK)
        return false;
    snprintf(back, sizeof back, "%" PRId64, *out);
    return strcmp(back, value) == 0;
}

/* The significant digits of D, the shortest that read back to it, without
 * trailing zeros ("" for zero). */
static void shortest_digits(double d, char *out, size_t size)
{
    char buf[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    size_t n = 0;
    for (const char *c = buf; *c && *c != 'e' && n + 1 < size; c++)
        if (*c >= '0' && *c <= '9')
            out[n++] = *c;
    while (n > 0 && out[n - 1] == '0')
        n--;
    out[n] = '\0';
    size_t lead = strspn(out, "0");
    memmove(out, out + lead, n - lead + 1);
}

/* VALUE is a float64 written with no digit the double does not keep: no
 * '+', no leading zero, no trailing zero after the point (but "1.0"), and
 * no more significant digits than the shortest text of the double. */
static bool plain_float64(const char *value, double *out)
{
    const char *p = value[0] == '-' ? value + 1 : value;
    if (strcasecmp(p, "nan") == 0 || strcasecmp(p, "inf") == 0 ||
        strcasecmp(p, "infinity") == 0)   /* as data lines read them */
        return field_parse(value, strlen(value), type_by_name("float64"),
                           out) == FIELD_OK;
    size_t ni = strspn(p, "0123456789");
    if (ni == 0 && p[0] != '.')
        return false;
    if (ni > 1 && p[0] == '0')
        return false;   /* 007.5 */
    const char *frac = p[ni] == '.' ? p + ni + 1 : NULL;
    size_t nf = frac ? strspn(frac, "0123456789") : 0;
    if (nf > 0 && frac[nf - 1] == '0' && !(nf == 1 && ni > 0))
        return false;   /* 1.10, 2.50; 1.0 is fine */
    if (field_parse(value, strlen(value), type_by_name("float64"), out) != FIELD_OK)
        return false;
    char written[1100], kept[40];
    if (ni + nf >= sizeof written)
        return false;   /* far more digits than a double keeps */
    size_t n = 0;
    for (const char *c = p; c < p + ni + (frac ? 1 + nf : 0) && n + 1 < sizeof written; c++)
        if (*c != '.')
            written[n++] = *c;
    while (n > 0 && written[n - 1] == '0')
        n--;
    written[n] = '\0';
    shortest_digits(*out, kept, sizeof kept);
    return strcmp(written + strspn(written, "0"), kept) == 0;
}

bool append_attr_parse(char *arg, bool as_string, struct attr_spec *a,
                       char *why, size_t size)
{
    const char *opt = as_string ? "--attr-string" : "--attr";
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        snprintf(why, size, "%s wants NAME=VALUE, not '%s'", opt, arg);
        return false;
    }
    if (eq - arg > 255) {
        snprintf(why, size, "%s NAME may have at most 255 characters", opt);
        return false;
    }
    *eq = '\0';
    if (!text_is_utf8(arg) || !text_is_utf8(eq + 1)) {
        snprintf(why, size, "%s %s: not UTF-8 text", opt, arg);
        return false;
    }
    *a = (struct attr_spec){ .name = arg, .value = eq + 1, .kind = ATTR_STRING };
    if (as_string)
        return true;
    if (plain_int64(a->value, &a->i))
        a->kind = ATTR_INT64;
    else if (plain_float64(a->value, &a->d))
        a->kind = ATTR_FLOAT64;
    return true;
}

/* ARG cut at commas into *N fresh strings, blanks around each trimmed. */
static char **comma_list(const char *arg, size_t *n)
{
    size_t count = 1;
    for (const char *c = arg; *c; c++)
        count += *c == ',';
    char **items = calloc(count + 1, sizeof *items);
    if (!items)
        return NULL;
    const char *p = arg;
    for (size_t i = 0; i < count; i++) {
        size_t len = strcspn(p, ",");
        const char *s = p, *e = p + len;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (!(items[i] = strndup(s, (size_t)(e - s)))) {
            free_list(items);
            return NULL;
        }
        p += len + 1;
    }
    *n = count;
    return items;
}

bool append_types_parse(const char *arg, struct append_options *o, char *why,
                        size_t size)
{
    if (!strchr(arg, ',')) {
        if (!(o->type = type_by_name(arg))) {
            snprintf(why, size, "unknown type '%s' (one of %s)", arg, type_names());
            return false;
        }
        free(o->column_types);   /* the last -t wins */
        o->column_types = NULL;
        o->ntypes = 0;
        return true;
    }
    size_t n;
    char **names = comma_list(arg, &n);
    const struct value_type **types = names ? calloc(n, sizeof *types) : NULL;
    bool ok = types != NULL;
    if (!ok)
        snprintf(why, size, "out of memory");
    for (size_t i = 0; ok && i < n; i++)
        if (!(types[i] = type_by_name(names[i]))) {
            snprintf(why, size, "-t: column %zu: unknown type '%s' (one of %s)",
                     i + 1, names[i], type_names());
            ok = false;
        }
    if (ok && n > MAX_COMPOUND_FIELDS) {
        snprintf(why, size, "-t: %zu types, at most %d columns of their own "
                 "types", n, MAX_COMPOUND_FIELDS);
        ok = false;
    }
    free_list(names);
    if (!ok) {
        free(types);
        return false;
    }
    free(o->column_types);
    o->column_types = types;
    o->ntypes = n;
    return true;
}

bool append_columns_parse(const char *arg, struct append_options *o,
                          char *why, size_t size)
{
    uint64_t count;
    if (arg[0] && strspn(arg, "0123456789") == strlen(arg)) {
        if (!numarg_u64(arg, 1, 1u << 20, &count)) {
            snprintf(why, size, "--columns wants a count from 1 to 1048576, "
                     "or names, not '%s'", arg);
            return false;
        }
        o->columns = count;
        free_list(o->column_names);   /* the last --columns wins */
        o->column_names = NULL;
        return true;
    }
    size_t n;
    char **names = comma_list(arg, &n);
    if (!names) {
        snprintf(why, size, "out of memory");
        return false;
    }
    /* "-2", "3e0", " 2", "1,2": a count mistyped, not names. */
    bool numbers = true;
    double d;
    for (size_t i = 0; numbers && i < n; i++)
        numbers = field_parse(names[i], strlen(names[i]),
                              type_by_name("float64"), &d) == FIELD_OK;
    if (numbers) {
        snprintf(why, size, "--columns wants a count from 1 to 1048576, or "
                 "names, not '%s'", arg);
        free_list(names);
        return false;
    }
    const char *bad = columns_names_bad(names, n);
    if (!bad && n > 1u << 20)
        bad = "more than 1048576 names";
    if (bad) {
        snprintf(why, size, "--columns '%s': %s", arg, bad);
        free_list(names);
        return false;
    }
    free_list(o->column_names);
    o->column_names = names;
    o->columns = n;
    return true;
}

bool text_is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1
                 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : 4;
        if (n == 4 || (n == 1 && *p < 0xC2))
            return false;
        unsigned cp = n == 0 ? *p : *p & (0x3F >> n);
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (p[i] & 0x3F);
        }
        /* Overlong forms, UTF-16 surrogates, past U+10FFFF. */
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

const char *columns_names_bad(char *const *names, size_t n)
{
    static char why[300];
    for (size_t i = 0; i < n; i++) {
        if (!names[i][0]) {
            snprintf(why, sizeof why, "name %zu is empty", i + 1);
            return why;
        }
        if (!text_is_utf8(names[i])) {
            /* HDF5 stores names as they are; h5py cannot decode them. */
            snprintf(why, sizeof why, "name %zu is not UTF-8 text (a Latin-1 "
                     "file? convert it: iconv -f latin1 -t utf-8)", i + 1);
            return why;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0) {
                snprintf(why, sizeof why, "'%.200s' names two columns", names[i]);
                return why;
            }
    }
    return NULL;
}

void free_list(char **list)
{
    if (list)
        for (char **p = list; *p; p++)
            free(*p);
    free(list);
}

void append_options_free(struct append_options *o)
{
    free(o->attrs);
    free(o->column_types);
    free_list(o->column_names);
}

bool append_dataset_name_ok(const char *name)
{
    const char *p = name[0] == '/' ? name + 1 : name;
    if (!*p)
        return false;
    for (;;) {
        size_t len = strcspn(p, "/");
        if (len == 0 || (len == 1 && p[0] == '.') ||
            (len == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        if (!p[len])
            return true;
        p += len + 1;
    }
}

bool append_input_format_by_name(const char *name, bool *binary)
{
    if (strcmp(name, "text") == 0 || strcmp(name, "binary") == 0) {
        *binary = name[0] == 'b';
        return true;
    }
    return false;
}

bool append_options_check(const struct append_options *o, char *why,
                          size_t size)
{
    if (!o->file)
        snprintf(why, size, "no FILE given");
    else if (!*o->file || !*o->dataset)
        snprintf(why, size, "FILE and DATASET may not be empty");
    else if (o->append && o->force)
        snprintf(why, size, "--append and --force may not be combined");
    else if (o->binary && (o->header || o->delimiter_given || o->skip_bad))
        snprintf(why, size, "--input-format=binary reads packed rows: "
                 "--header, --delimiter and --skip-bad apply to text only");
    else if (o->skip_bad && !o->skip_count_given && o->dataset_given &&
             strspn(o->file, "0123456789") == strlen(o->file))
        snprintf(why, size, "--skip-bad takes its count as --skip-bad=%s; "
                 "as written, '%s' would be FILE and '%s' DATASET", o->file,
                 o->file, o->dataset);
    else if (o->ntypes && o->columns && o->ntypes != o->columns)
        snprintf(why, size, "-t gives %zu types, --columns %zu columns",
                 o->ntypes, o->columns);
    else if (!append_dataset_name_ok(o->dataset))
        snprintf(why, size, "DATASET '%s' is not a dataset path (like data or "
                 "/group/data)", o->dataset);
    else {
        /* A compound's names are its fields: no such attribute. */
        bool names = (o->header || o->column_names) && !o->ntypes &&
                     !o->timestamp;
        for (size_t i = 0; names && i < o->nattrs; i++)
            if (strcmp(o->attrs[i].name, "columns") == 0) {
                snprintf(why, size, "--header and --columns=NAMES write the "
                         "\"columns\" attribute; --attr columns=... may not "
                         "be combined with them");
                return false;
            }
        for (size_t i = 0; i < o->nattrs; i++)
            for (size_t j = 0; j < i; j++)
                if (strcmp(o->attrs[i].name, o->attrs[j].name) == 0) {
                    snprintf(why, size, "attribute %s is given twice",
                             o->attrs[i].name);
                    return false;
                }
        for (size_t i = 0; o->timestamp && o->column_names && i < o->columns; i++)
            if (strcmp(o->column_names[i], "time") == 0) {
                snprintf(why, size, "--timestamp adds the field \"time\"; "
                         "--columns names column %zu time too", i + 1);
                return false;
            }
        return true;
    }
    return false;
}
