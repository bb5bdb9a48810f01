build-dev/obj/unit/swmr-append/test_linereader.o: \
 tests/unit/swmr-append/test_linereader.c src/swmr-append/linereader.h
src/swmr-append/linereader.h:
