#include <stdio.h>

#include "greet.h"

int main(int argc, char **argv) {
  char line[128];
  greet(line, sizeof line, argc > 1 ? argv[1] : "");
  puts(line);
  return 0;
}
