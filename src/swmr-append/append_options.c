#include "append_options.h"
#include "record.h"   /* field_parse: an attribute's number, as a field's */

#include <ctype.h>    /* isalnum */
#include <stdio.h>    /* snprintf */
#include <string.h>   /* strchr, strcmp, strcspn, strlen */

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

bool append_attr_parse(char *arg, struct attr_spec *a, char *why, size_t size)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        snprintf(why, size, "--attr wants NAME=VALUE, not '%s'", arg);
        return false;
    }
    if (eq - arg > 255) {
        snprintf(why, size, "--attr NAME may have at most 255 characters");
        return false;
    }
    *eq = '\0';
    *a = (struct attr_spec){ .name = arg, .value = eq + 1, .kind = ATTR_STRING };
    size_t len = strlen(a->value);
    if (field_parse(a->value, len, type_by_name("int64"), &a->i) == FIELD_OK)
        a->kind = ATTR_INT64;
    else if (field_parse(a->value, len, type_by_name("float64"), &a->d) == FIELD_OK)
        a->kind = ATTR_FLOAT64;
    return true;
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
    else if (!append_dataset_name_ok(o->dataset))
        snprintf(why, size, "DATASET '%s' is not a dataset path (like data or "
                 "/group/data)", o->dataset);
    else {
        for (size_t i = 0; o->header && i < o->nattrs; i++)
            if (strcmp(o->attrs[i].name, "columns") == 0) {
                snprintf(why, size, "--header writes the \"columns\" "
                         "attribute; --attr columns=... may not be combined "
                         "with it");
                return false;
            }
        return true;
    }
    return false;
}
