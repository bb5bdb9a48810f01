build-dev/obj/unit/swmr-append/test_append_options.o: \
 tests/unit/swmr-append/test_append_options.c \
 src/swmr-append/append_options.h src/swmr-append/h5writer.h \
 src/common/types.h
src/swmr-append/append_options.h:
src/swmr-append/h5writer.h:
src/common/types.h:
