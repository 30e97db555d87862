#ifndef GREET_H
#define GREET_H

#include <stddef.h>

/* Writes "hello, NAME" (or "hello, stranger" for an empty name) into out, truncated to fit. */
void greet(char* out, size_t size, const char* name);

#endif
