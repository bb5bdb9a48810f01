build-dev/obj/common/monotonic.o: src/common/monotonic.c \
 src/common/monotonic.h
src/common/monotonic.h:
