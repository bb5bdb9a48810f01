build-dev/obj/common/report.o: src/common/report.c src/common/report.h
src/common/report.h:
