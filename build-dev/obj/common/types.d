build-dev/obj/common/types.o: src/common/types.c src/common/types.h
src/common/types.h:
