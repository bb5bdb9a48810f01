build-dev/obj/unit/swmr-append/test_record.o: \
 tests/unit/swmr-append/test_record.c src/swmr-append/record.h \
 src/common/types.h
src/swmr-append/record.h:
src/common/types.h:
