build-dev/obj/unit/swmr-append/test_file_place.o: \
 tests/unit/swmr-append/test_file_place.c src/swmr-append/file_place.h
src/swmr-append/file_place.h:
