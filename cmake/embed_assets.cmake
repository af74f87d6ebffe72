# Turns a folder's files into one C table so a program carries its web pages (hallq-web: no
# file to install, nothing fetched from elsewhere).
# Usage: cmake -DDIR=folder -DFILES="a.html;b.js" -DOUT=file.c -DSYM=name -P embed_assets.cmake
# The table: struct {const char *name; const unsigned char *data; size_t len;} SYM[], ended by
# a row whose name is NULL.
set(body "/* Generated from ${DIR}; do not edit. */\n#include <stddef.h>\n")
set(rows "")
set(i 0)
foreach(f ${FILES})
    file(READ "${DIR}/${f}" hex HEX)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    string(APPEND body "static const unsigned char s_${i}[] = {${bytes} 0x00};\n")
    string(APPEND rows "    {\"${f}\", s_${i}, sizeof s_${i} - 1},\n")
    math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "const struct {\n    const char *name;\n    const unsigned char *data;\n    size_t len;\n} ${SYM}[] = {\n${rows}    {NULL, NULL, 0}};\n")
file(WRITE "${OUT}" "${body}")
