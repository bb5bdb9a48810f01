build-dev/obj/swmr-append/flush_policy.o: src/swmr-append/flush_policy.c \
 src/swmr-append/flush_policy.h
src/swmr-append/flush_policy.h:
