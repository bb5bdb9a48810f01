build-dev/obj/swmr-watch/watch_format.o: src/swmr-watch/watch_format.c \
 src/swmr-watch/watch_format.h src/common/types.h \
 src/swmr-watch/watch_options.h src/common/c_locale.h
src/swmr-watch/watch_format.h:
src/common/types.h:
src/swmr-watch/watch_options.h:
src/common/c_locale.h:
