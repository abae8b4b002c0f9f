// Called as the text worker is (`__extract-text FILE MIMETYPE ...`), it does what FILE says:
// "hang" blocks forever, "flood" writes without end, "crash" aborts, "fds" lists its open
// descriptors, "garbled" writes what no worker would; anything else comes back as the text.

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
    if (argc < 3 || std::string(argv[1]) != "__extract-text") {
        return 2;
    }
    // The descriptors it was given, by number, before it opens any itself.
    std::string given;
    for (int fd = 0; fd < 1024; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1) {
            given += (given.empty() ? "" : " ") + std::to_string(fd);
        }
    }
    std::ifstream in(argv[2], std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    const std::string what = content.str();
    if (what == "hang") {
        for (;;) {
            ::pause();
        }
    }
    if (what == "flood") {
        const std::string block(65536, 'x');
        std::cout << "oaiharvest-text extracted 1\n";
        for (;;) {
            std::cout.write(block.data(), static_cast<std::streamsize>(block.size()));
            if (!std::cout) {
                return 1;
            }
        }
    }
    if (what == "crash") {
        std::cerr << "stand-in worker: crashing as asked\n";
        std::abort();
    }
    if (what == "fds") {
        std::cout << "oaiharvest-text extracted 1\n" << given;
        return 0;
    }
    if (what == "garbled") {
        std::cout << "something else entirely\n";
        return 0;
    }
    std::cout << "oaiharvest-text extracted 1\n" << what;
    return 0;
}
