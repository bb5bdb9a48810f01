build-dev/obj/unit/swmr-watch/test_watch_options.o: \
 tests/unit/swmr-watch/test_watch_options.c \
 src/swmr-watch/watch_options.h
src/swmr-watch/watch_options.h:
