build-dev/obj/unit/swmr-watch/test_watch_spark.o: \
 tests/unit/swmr-watch/test_watch_spark.c src/swmr-watch/watch_spark.h
src/swmr-watch/watch_spark.h:
