build-dev/obj/unit/swmr-append/test_flush_policy.o: \
 tests/unit/swmr-append/test_flush_policy.c \
 src/swmr-append/flush_policy.h
src/swmr-append/flush_policy.h:
