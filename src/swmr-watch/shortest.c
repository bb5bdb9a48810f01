/* Shortest round-trip digits of float16, float32 and float64 values, by
 * Ryu's method (Ulf Adams, "Ryu: fast float-to-string conversion", PLDI
 * 2018), written for any width up to 53 significant bits: the value and
 * the halfway points to its neighbours are scaled to decimal with one
 * 64x128-bit multiplication each, then digits are dropped while the
 * interval between the halfway points still holds a shorter number.
 * The powers of 5 it multiplies by are worked out exactly, on first use,
 * from a small big-number routine: no table to trust, and the unit tests
 * check every result against printing and reading back. */
#include "shortest.h"

#include <math.h>     /* frexp, isnan, isinf, signbit */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>   /* memcpy */

typedef unsigned __int128 u128;

/* Bits kept of each power of 5 (and of its inverse): enough for the 55-bit
 * products of a float64 (Ryu's bound), more than enough for narrower. */
#define POW5_BITS 125
/* 5^325 (the largest needed: the smallest subnormal) has 755 bits. */
#define BIG_LIMBS 26
#define POW5_MAX 326        /* 5^i, i < POW5_MAX */
#define POW5_INV_MAX 292    /* 5^-q, q < POW5_INV_MAX */

/* ceil(log2(5^e)) (1 for e = 0), floor(log10(2^e)), floor(log10(5^e)):
 * exact for every exponent a float64 needs. */
static int32_t pow5_bits(int32_t e)
{
    return (int32_t)(((uint32_t)e * 1217359) >> 19) + 1;
}

static uint32_t log10_pow2(int32_t e)
{
    return ((uint32_t)e * 78913) >> 18;
}

static uint32_t log10_pow5(int32_t e)
{
    return ((uint32_t)e * 732923) >> 20;
}

/* ---- Powers of 5 to 125 bits, exactly ---- */

/* A non-negative integer in 32-bit limbs, least significant first. */
struct big {
    uint32_t limb[BIG_LIMBS];
};

static void big_pow5(struct big *b, int32_t e)
{
    memset(b, 0, sizeof *b);
    b->limb[0] = 1;
    for (int32_t k = 0; k < e; k++) {
        uint64_t carry = 0;
        for (int l = 0; l < BIG_LIMBS; l++) {
            uint64_t v = (uint64_t)b->limb[l] * 5 + carry;
            b->limb[l] = (uint32_t)v;
            carry = v >> 32;
        }
    }
}

/* 128 bits of B from bit SHIFT up (SHIFT may be negative: B << -SHIFT). */
static u128 big_bits(const struct big *b, int32_t shift)
{
    u128 v = 0;
    for (int bit = 127; bit >= 0; bit--) {
        int32_t at = shift + bit;
        v <<= 1;
        if (at >= 0 && at < BIG_LIMBS * 32)
            v |= b->limb[at / 32] >> (at % 32) & 1;
    }
    return v;
}

static bool big_less(const struct big *a, const struct big *b)
{
    for (int l = BIG_LIMBS - 1; l >= 0; l--)
        if (a->limb[l] != b->limb[l])
            return a->limb[l] < b->limb[l];
    return false;
}

static void big_sub(struct big *a, const struct big *b)
{
    int64_t borrow = 0;
    for (int l = 0; l < BIG_LIMBS; l++) {
        int64_t v = (int64_t)a->limb[l] - b->limb[l] - borrow;
        borrow = v < 0;
        a->limb[l] = (uint32_t)(v + (borrow << 32));
    }
}

static void big_double(struct big *a)
{
    for (int l = BIG_LIMBS - 1; l > 0; l--)
        a->limb[l] = a->limb[l] << 1 | a->limb[l - 1] >> 31;
    a->limb[0] <<= 1;
}

/* 5^i as its top POW5_BITS bits: floor(5^i / 2^(pow5_bits(i) - 125)). */
static const uint64_t *pow5(int32_t i)
{
    static uint64_t table[POW5_MAX][2];
    static bool done[POW5_MAX];
    if (!done[i]) {
        struct big b;
        big_pow5(&b, i);
        u128 v = big_bits(&b, pow5_bits(i) - POW5_BITS);
        table[i][0] = (uint64_t)v;
        table[i][1] = (uint64_t)(v >> 64);
        done[i] = true;
    }
    return table[i];
}

/* 5^-q to POW5_BITS bits, rounded up: floor(2^(pow5_bits(q) - 1 + 125) /
 * 5^q) + 1, by long division (the quotient has at most 126 bits). */
static const uint64_t *pow5_inv(int32_t q)
{
    static uint64_t table[POW5_INV_MAX][2];
    static bool done[POW5_INV_MAX];
    if (!done[q]) {
        u128 quotient;
        if (q == 0) {
            quotient = (u128)1 << POW5_BITS;
        } else {
            struct big d, r;
            big_pow5(&d, q);
            /* 2^(pow5_bits(q) - 2) < 5^q: the first remainder. */
            memset(&r, 0, sizeof r);
            int32_t top = pow5_bits(q) - 2;
            r.limb[top / 32] = 1u << (top % 32);
            quotient = 0;
            for (int step = 0; step < 126; step++) {
                big_double(&r);
                quotient <<= 1;
                if (!big_less(&r, &d)) {
                    big_sub(&r, &d);
                    quotient |= 1;
                }
            }
        }
        quotient += 1;
        table[q][0] = (uint64_t)quotient;
        table[q][1] = (uint64_t)(quotient >> 64);
        done[q] = true;
    }
    return table[q];
}

/* (M * MUL) >> J, M below 2^55 and J at least 64. */
static uint64_t mul_shift(uint64_t m, const uint64_t *mul, int32_t j)
{
    u128 low = (u128)m * mul[0];
    u128 high = (u128)m * mul[1];
    return (uint64_t)(((low >> 64) + high) >> (j - 64));
}

static bool multiple_of_pow5(uint64_t v, uint32_t p)
{
    uint32_t count = 0;
    while (v && v % 5 == 0) {
        v /= 5;
        count++;
    }
    return count >= p;
}

static uint32_t decimal_length(uint64_t v)
{
    uint32_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* ---- The digits ---- */

struct decimal {
    uint64_t digits;    /* the significant digits, as an integer */
    uint32_t length;    /* how many */
    int32_t exponent;   /* of the first digit: d.ddd * 10^exponent */
};

/* VR, VP and VM one digit shorter: the digit VR loses in *LAST, and
 * *VR_ZEROS kept only while every digit dropped so far was a zero. */
static void drop_digit(uint64_t *vr, uint64_t *vp, uint64_t *vm,
                       uint8_t *last, bool *vr_zeros)
{
    *vr_zeros &= *last == 0;
    *last = (uint8_t)(*vr % 10);
    *vr /= 10;
    *vp /= 10;
    *vm /= 10;
}

/* The shortest decimal of the positive float with significand field
 * MANTISSA (MBITS bits) and exponent field EXPONENT (BIAS). */
static struct decimal to_decimal(uint64_t mantissa, uint32_t exponent,
                                 int mbits, int bias)
{
    int32_t e2;
    uint64_t m2;
    /* Two more bits, for the halfway points. */
    if (exponent == 0) {
        e2 = 1 - bias - mbits - 2;
        m2 = mantissa;
    } else {
        e2 = (int32_t)exponent - bias - mbits - 2;
        m2 = (1ull << mbits) | mantissa;
    }
    /* Round half to even: an even significand owns its halfway points. */
    bool accept_bounds = (m2 & 1) == 0;
    /* The value and its halfway points, times 4: mv, mv + 2 and mv - 1 -
     * mm_shift (the gap below is half as wide at a power of 2). */
    uint64_t mv = 4 * m2;
    uint32_t mm_shift = mantissa != 0 || exponent <= 1;

    /* vr, vp, vm: those three as decimals * 10^e10. */
    uint64_t vr, vp, vm;
    int32_t e10;
    bool vm_zeros = false, vr_zeros = false;
    if (e2 >= 0) {
        uint32_t q = log10_pow2(e2) - (e2 > 3);
        e10 = (int32_t)q;
        int32_t i = -e2 + (int32_t)q + POW5_BITS + pow5_bits((int32_t)q) - 1;
        const uint64_t *mul = pow5_inv((int32_t)q);
        vr = mul_shift(mv, mul, i);
        vp = mul_shift(mv + 2, mul, i);
        vm = mul_shift(mv - 1 - mm_shift, mul, i);
        /* Were the digits dropped by the scaling all zeros? Only one of
         * the three can be a multiple of 5. */
        if (q <= 21) {
            if (mv % 5 == 0)
                vr_zeros = multiple_of_pow5(mv, q);
            else if (accept_bounds)
                vm_zeros = multiple_of_pow5(mv - 1 - mm_shift, q);
            else
                vp -= multiple_of_pow5(mv + 2, q);
        }
    } else {
        uint32_t q = log10_pow5(-e2) - (-e2 > 1);
        e10 = (int32_t)q + e2;
        int32_t i = -e2 - (int32_t)q;
        int32_t j = (int32_t)q - (pow5_bits(i) - POW5_BITS);
        const uint64_t *mul = pow5(i);
        vr = mul_shift(mv, mul, j);
        vp = mul_shift(mv + 2, mul, j);
        vm = mul_shift(mv - 1 - mm_shift, mul, j);
        if (q <= 1) {
            /* mv has at least 2 trailing zero bits: so has the rest. */
            vr_zeros = true;
            if (accept_bounds)
                vm_zeros = mm_shift == 1;
            else
                vp--;
        } else if (q < 63) {
            vr_zeros = (mv & ((1ull << q) - 1)) == 0;
        }
    }

    /* Drop digits while the interval (vm, vp) still holds a shorter
     * number; round what is left by the last digit dropped. */
    uint32_t vp_length = decimal_length(vp);
    uint32_t removed = 0;
    uint8_t last = 0;
    while (vp / 10 > vm / 10) {
        vm_zeros &= vm % 10 == 0;
        drop_digit(&vr, &vp, &vm, &last, &vr_zeros);
        removed++;
    }
    if (vm_zeros) {
        /* vm itself is in the interval: it may lose more zeros. */
        while (vm % 10 == 0) {
            drop_digit(&vr, &vp, &vm, &last, &vr_zeros);
            removed++;
        }
    }
    if (vr_zeros && last == 5 && vr % 2 == 0)
        last = 4;   /* exactly halfway: to even */
    uint64_t digits = vr + ((vr == vm && (!accept_bounds || !vm_zeros)) ||
                            last >= 5);
    return (struct decimal){
        .digits = digits,
        .length = vp_length - removed,
        .exponent = e10 + (int32_t)vp_length - 1,
    };
}

/* ---- Text ---- */

static size_t put_digits(char *at, uint64_t digits, uint32_t length)
{
    for (uint32_t k = length; k-- > 0;) {
        at[k] = (char)('0' + digits % 10);
        digits /= 10;
    }
    return length;
}

/* X, a float of MBITS significand bits, when it is a whole number below
 * 2^(MBITS + 1): its own digits, trailing zeros moved into the exponent.
 * No shorter decimal is within half a unit of it, so this is what
 * to_decimal finds (Ryu's shortcut for small integers), at a fraction of
 * the cost: the values of counters and of a `seq` flood. */
static bool small_integer(double x, int mbits, struct decimal *d)
{
    if (!(x >= 1 && x < ldexp(1, mbits + 1)))
        return false;
    uint64_t v = (uint64_t)x;
    if ((double)v != x)
        return false;
    int32_t zeros = 0;
    while (v % 10 == 0) {
        v /= 10;
        zeros++;
    }
    uint32_t length = 1;
    for (uint64_t rest = v / 10; rest; rest /= 10)
        length++;
    *d = (struct decimal){ .digits = v, .length = length,
                           .exponent = (int32_t)length - 1 + zeros };
    return true;
}

/* D laid out as Python's repr lays out a float. */
static size_t layout(const struct decimal *d, char *buf)
{
    char digits[24] = { 0 };   /* (the compiler cannot see length >= 1) */
    put_digits(digits, d->digits, d->length);
    size_t n = 0;
    int32_t e = d->exponent, len = (int32_t)d->length;
    if (e >= 16 || e < -4) {
        buf[n++] = digits[0];
        if (len > 1) {
            buf[n++] = '.';
            memcpy(buf + n, digits + 1, (size_t)len - 1);
            n += (size_t)len - 1;
        }
        buf[n++] = 'e';
        buf[n++] = e < 0 ? '-' : '+';
        uint32_t a = (uint32_t)(e < 0 ? -e : e);
        if (a >= 100)
            buf[n++] = (char)('0' + a / 100);
        buf[n++] = (char)('0' + a / 10 % 10);
        buf[n++] = (char)('0' + a % 10);
    } else if (e < 0) {
        buf[n++] = '0';
        buf[n++] = '.';
        for (int32_t z = -1; z > e; z--)
            buf[n++] = '0';
        memcpy(buf + n, digits, (size_t)len);
        n += (size_t)len;
    } else if (e >= len - 1) {
        memcpy(buf + n, digits, (size_t)len);
        n += (size_t)len;
        for (int32_t z = len - 1; z < e; z++)
            buf[n++] = '0';
    } else {
        memcpy(buf + n, digits, (size_t)e + 1);
        n += (size_t)e + 1;
        buf[n++] = '.';
        memcpy(buf + n, digits + e + 1, (size_t)(len - e - 1));
        n += (size_t)(len - e - 1);
    }
    buf[n] = '\0';
    return n;
}

size_t shortest_text(double x, enum float_width width, char *buf)
{
    if (isnan(x) || isinf(x)) {
        const char *s = isnan(x) ? "nan" : x > 0 ? "inf" : "-inf";
        strcpy(buf, s);
        return strlen(s);
    }
    size_t n = 0;
    if (signbit(x))
        buf[n++] = '-';
    x = fabs(x);
    if (x == 0) {
        strcpy(buf + n, "0");
        return n + 1;
    }
    uint64_t mantissa;
    uint32_t exponent;
    struct decimal d;
    switch (width) {
    case FLOAT64: {
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        mantissa = bits & ((1ull << 52) - 1);
        exponent = (uint32_t)(bits >> 52);
        if (!small_integer(x, 52, &d))
            d = to_decimal(mantissa, exponent, 52, 1023);
        break;
    }
    case FLOAT32: {
        float f = (float)x;
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        mantissa = bits & ((1u << 23) - 1);
        exponent = bits >> 23;
        if (!small_integer((double)f, 23, &d))
            d = to_decimal(mantissa, exponent, 23, 127);
        break;
    }
    default: {
        /* float16 has no C type here: its fields from the value. */
        int e;
        double m = frexp(x, &e);   /* x = m * 2^e, m in [0.5, 1) */
        if (e - 1 >= -14) {
            exponent = (uint32_t)(e - 1 + 15);
            mantissa = (uint64_t)((m * 2 - 1) * 1024);
        } else {
            exponent = 0;
            mantissa = (uint64_t)ldexp(x, 24);
        }
        d = to_decimal(mantissa, exponent, 10, 15);
        break;
    }
    }
    return n + layout(&d, buf + n);
}
