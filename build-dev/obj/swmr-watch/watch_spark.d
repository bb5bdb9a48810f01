build-dev/obj/swmr-watch/watch_spark.o: src/swmr-watch/watch_spark.c \
 src/swmr-watch/watch_spark.h
src/swmr-watch/watch_spark.h:
