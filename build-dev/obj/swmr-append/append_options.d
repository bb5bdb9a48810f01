build-dev/obj/swmr-append/append_options.o: \
 src/swmr-append/append_options.c src/swmr-append/append_options.h \
 src/swmr-append/h5writer.h src/common/types.h src/swmr-append/record.h
src/swmr-append/append_options.h:
src/swmr-append/h5writer.h:
src/common/types.h:
src/swmr-append/record.h:
