#include "cli/cli.h"

int main(int argc, char** argv) { return shihyo::RunCli(argc, argv); }
