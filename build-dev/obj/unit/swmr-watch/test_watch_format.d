build-dev/obj/unit/swmr-watch/test_watch_format.o: \
 tests/unit/swmr-watch/test_watch_format.c src/swmr-watch/watch_format.h \
 src/common/types.h src/swmr-watch/watch_options.h
src/swmr-watch/watch_format.h:
src/common/types.h:
src/swmr-watch/watch_options.h:
