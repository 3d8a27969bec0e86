/*
 * fuzz_jsonl.c — libFuzzer target: a JSONL file (one article per line,
 * escapes, fields of every type) through sayso_reader.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_all(fuzz_file(data, size, ".jsonl"));
    return 0;
}
