build-dev/obj/swmr-append/file_place.o: src/swmr-append/file_place.c \
 src/swmr-append/file_place.h
src/swmr-append/file_place.h:
