/* The "C" locale, for strtod_l and friends: a number in an option, an
 * input field or an output line must never follow LC_NUMERIC. */
#ifndef SWMR_C_LOCALE_H
#define SWMR_C_LOCALE_H

#include <locale.h>   /* locale_t */

locale_t c_locale(void);

#endif
