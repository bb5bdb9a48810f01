/* shell_word.c: names in suggested commands can be pasted into a shell. */
#include <criterion/criterion.h>

#include "shell_word.h"

Test(shell_word, plain_names_stay_as_they_are)
{
    char buf[64];
    cr_assert_str_eq(shell_word("run.h5", buf, sizeof buf), "run.h5");
    cr_assert_str_eq(shell_word("/data/x-1_2.h5", buf, sizeof buf),
                     "/data/x-1_2.h5");
}

Test(shell_word, others_are_quoted)
{
    char buf[64];
    cr_assert_str_eq(shell_word("my run.h5", buf, sizeof buf), "'my run.h5'");
    cr_assert_str_eq(shell_word("it's.h5", buf, sizeof buf), "'it'\\''s.h5'");
    cr_assert_str_eq(shell_word("$HOME/*.h5", buf, sizeof buf),
                     "'$HOME/*.h5'");
    cr_assert_str_eq(shell_word("", buf, sizeof buf), "''");
}

Test(shell_word, a_small_buffer_is_cut_not_overrun)
{
    char buf[8];
    shell_word("a very long name.h5", buf, sizeof buf);
    cr_assert_lt(strlen(buf), sizeof buf);
    shell_word("plainbutlong.h5", buf, sizeof buf);
    cr_assert_lt(strlen(buf), sizeof buf);
}
