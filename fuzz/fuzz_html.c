/*
 * fuzz_html.c — libFuzzer target: a web page through sayso_html_extract
 * (charset, main content, metadata). The first byte picks the charset the
 * HTTP header would have given, so that the conversions are fuzzed too.
 */
#include "fuzz.h"
#include "html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const charsets[] = {NULL, "utf-8", "windows-1252", "iso-8859-1", "shift_jis", "utf-16",
                                           "x-unknown-charset", "gb2312"};
    const char *charset = NULL;
    if (size > 0) {
        charset = charsets[data[0] % (sizeof charsets / sizeof *charsets)];
        data++;
        size--;
    }
    sayso_page page;
    memset(&page, 0, sizeof page);
    char err[256];
    if (sayso_html_extract((const char *)data, size, charset, "https://fuzz.example/2021/05/06/page", &page, err,
                           sizeof err) == 0) {
        if (page.text && strlen(page.text) != page.len) abort();
        char *fixed = NULL;
        size_t fixed_len;
        if (page.text && sayso_utf8_repair(page.text, page.len, &fixed, &fixed_len) != 0) abort();
    }
    sayso_page_clear(&page);
    return 0;
}
