#pragma once
// systemd connects a service's stderr to the journal and says so in JOURNAL_STREAM: the device
// and inode of that stream, "DEVICE:INODE" (systemd.exec(5)). A line written there may begin
// with its syslog priority, "<3>" (sd-daemon(3)), so that `journalctl -p warning` finds it, and
// needs no timestamp of its own: journald adds one. The device and inode are compared, not
// just the variable's presence: a process the service starts with its stderr elsewhere (a pipe
// to its caller, as the PDF text worker's) inherits the variable.

#include <sys/types.h>

#include <string_view>

namespace oaiharvest::util {

// Whether journal_stream ("DEVICE:INODE", both decimal) names the file of device and inode.
bool names_stream(std::string_view journal_stream, dev_t device, ino_t inode);

// Whether this process's stderr is the journal's stream.
bool stderr_is_journal();

}  // namespace oaiharvest::util
