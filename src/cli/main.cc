#include "cli/app.h"

int main(int argc, char** argv) {
  return omk::cli::run(argc, argv);
}
