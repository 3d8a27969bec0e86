/*
 * fuzz_text.c — libFuzzer target: a plain-text article file (date header,
 * UTF-8 repair) through sayso_reader.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_all(fuzz_file(data, size, ".txt"));
    return 0;
}
