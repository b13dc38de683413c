// The `zhibu` binary. Everything lives in the library; this file only hands over argv.
#include "platform/cli/cli.h"

int main(int argc, char** argv) { return zhibu::cli::Run(argc, argv); }
