build-dev/obj/swmr-watch/view.o: src/swmr-watch/view.c \
 src/swmr-watch/view.h src/swmr-watch/watch_spark.h \
 src/swmr-watch/watch_format.h src/common/types.h \
 src/swmr-watch/watch_options.h
src/swmr-watch/view.h:
src/swmr-watch/watch_spark.h:
src/swmr-watch/watch_format.h:
src/common/types.h:
src/swmr-watch/watch_options.h:
