build-dev/obj/common/c_locale.o: src/common/c_locale.c \
 src/common/c_locale.h
src/common/c_locale.h:
