build-dev/obj/swmr-append/main.o: src/swmr-append/main.c \
 src/swmr-append/append.h src/swmr-append/append_options.h \
 src/swmr-append/h5writer.h src/common/types.h src/common/exit_status.h \
 src/common/numarg.h src/common/report.h
src/swmr-append/append.h:
src/swmr-append/append_options.h:
src/swmr-append/h5writer.h:
src/common/types.h:
src/common/exit_status.h:
src/common/numarg.h:
src/common/report.h:
