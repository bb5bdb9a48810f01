/* numarg: option values both tools read the same way. */
#include <criterion/criterion.h>

#include "monotonic.h"
#include "numarg.h"

Test(numarg, counts_in_range_only)
{
    uint64_t n;
    cr_assert(numarg_u64("42", 1, 100, &n) && n == 42);
    cr_assert_not(numarg_u64("0", 1, 100, &n));
    cr_assert_not(numarg_u64("101", 1, 100, &n));
    cr_assert_not(numarg_u64("-1", 0, 100, &n));
    cr_assert_not(numarg_u64("4x", 0, 100, &n));
    cr_assert_not(numarg_u64("", 0, 100, &n));
    cr_assert_not(numarg_u64("99999999999999999999999", 0, UINT64_MAX, &n));
}

Test(numarg, seconds_are_plain_decimals)
{
    double s;
    cr_assert(numarg_seconds("0.5", 0, 10, &s) && s == 0.5);
    cr_assert(numarg_seconds("2", 0, 10, &s) && s == 2);
    cr_assert(numarg_seconds("1e-2", 0, 10, &s) && s == 0.01);
    cr_assert_not(numarg_seconds("0x10", 0, 100, &s));
    cr_assert_not(numarg_seconds("inf", 0, 1e9, &s));
    cr_assert_not(numarg_seconds("nan", 0, 1e9, &s));
    cr_assert_not(numarg_seconds("-1", 0, 10, &s));
    cr_assert_not(numarg_seconds("0,5", 0, 10, &s));
    cr_assert_not(numarg_seconds("11", 0, 10, &s));
}

Test(monotonic, never_goes_back)
{
    double a = monotonic_seconds(), b = monotonic_seconds();
    cr_assert_geq(b, a);
    cr_assert_gt(a, 0);
}
