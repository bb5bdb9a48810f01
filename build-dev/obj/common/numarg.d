build-dev/obj/common/numarg.o: src/common/numarg.c src/common/numarg.h \
 src/common/c_locale.h
src/common/numarg.h:
src/common/c_locale.h:
