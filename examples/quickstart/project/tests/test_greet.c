/* A tiny test runner that writes a JUnit XML report, the evidence the pipeline's tests gate reads. */
#include <stdio.h>
#include <string.h>

#include "../src/greet.h"

struct result {
  const char *name;
  int passed;
};

int main(int argc, char **argv) {
  const char *report = argc > 1 ? argv[1] : "report.xml";
  char buffer[64];
  struct result results[3];

  greet(buffer, sizeof buffer, "world");
  results[0] = (struct result){"greets_by_name", strcmp(buffer, "hello, world") == 0};
  greet(buffer, sizeof buffer, "");
  results[1] = (struct result){"greets_strangers", strcmp(buffer, "hello, stranger") == 0};
  greet(buffer, 8, "a long name");
  results[2] = (struct result){"truncates_to_fit", strlen(buffer) == 7};

  int failures = 0;
  for (int i = 0; i < 3; ++i) failures += !results[i].passed;
  FILE *out = fopen(report, "w");
  if (!out) return 2;
  fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  fprintf(out, "<testsuite name=\"greet\" tests=\"3\" failures=\"%d\">\n", failures);
  for (int i = 0; i < 3; ++i) {
    if (results[i].passed) {
      fprintf(out, "  <testcase classname=\"greet\" name=\"%s\"/>\n", results[i].name);
    } else {
      fprintf(out, "  <testcase classname=\"greet\" name=\"%s\"><failure/></testcase>\n",
              results[i].name);
    }
    printf("%s %s\n", results[i].passed ? "ok" : "FAIL", results[i].name);
  }
  fprintf(out, "</testsuite>\n");
  fclose(out);
  return failures ? 1 : 0;
}
