build-dev/obj/swmr-watch/watch_options.o: src/swmr-watch/watch_options.c \
 src/swmr-watch/watch_options.h
src/swmr-watch/watch_options.h:
