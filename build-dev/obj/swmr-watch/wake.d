build-dev/obj/swmr-watch/wake.o: src/swmr-watch/wake.c \
 src/swmr-watch/wake.h
src/swmr-watch/wake.h:
