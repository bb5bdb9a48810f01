build-dev/obj/common/file_users.o: src/common/file_users.c \
 src/common/file_users.h
src/common/file_users.h:
