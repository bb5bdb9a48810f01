build-dev/obj/swmr-append/record.o: src/swmr-append/record.c \
 src/swmr-append/record.h src/common/types.h src/common/c_locale.h
src/swmr-append/record.h:
src/common/types.h:
src/common/c_locale.h:
