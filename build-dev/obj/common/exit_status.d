build-dev/obj/common/exit_status.o: src/common/exit_status.c \
 src/common/exit_status.h
src/common/exit_status.h:
