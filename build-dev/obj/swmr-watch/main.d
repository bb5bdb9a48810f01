build-dev/obj/swmr-watch/main.o: src/swmr-watch/main.c \
 src/common/numarg.h src/common/exit_status.h src/common/report.h \
 src/swmr-watch/watch.h src/swmr-watch/watch_options.h
src/common/numarg.h:
src/common/exit_status.h:
src/common/report.h:
src/swmr-watch/watch.h:
src/swmr-watch/watch_options.h:
