/* TEMPORARY: replaced by the real CLI. */
#include <stdio.h>
int main(void) { puts("sayso"); return 0; }
