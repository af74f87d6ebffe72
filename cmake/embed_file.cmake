# Turns a file into a C array so the binary carries its default data (the service catalog).
# Usage: cmake -DIN=file -DOUT=file.c -DSYM=name -P embed_file.cmake
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE "${OUT}" "/* Generated from ${IN}; do not edit. */\n#include <stddef.h>\nconst char ${SYM}[] = {${body} 0x00};\nconst size_t ${SYM}_len = sizeof ${SYM} - 1;\n")
