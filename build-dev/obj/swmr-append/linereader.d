build-dev/obj/swmr-append/linereader.o: src/swmr-append/linereader.c \
 src/swmr-append/linereader.h src/common/monotonic.h
src/swmr-append/linereader.h:
src/common/monotonic.h:
