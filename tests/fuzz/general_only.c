/* record.c with its fast paths switched off and its functions renamed:
 * the reference the fuzz target holds the fast paths to. */
#define RECORD_GENERAL_ONLY
#define record_split general_record_split
#define field_parse general_field_parse
#define record_quick_single general_record_quick_single
#define record_convert general_record_convert
#define record_convert_each general_record_convert_each
#define record_error_text general_record_error_text
#include "record.c"
