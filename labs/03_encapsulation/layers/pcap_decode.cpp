// This lab shows:
//  - a capture read back layer by layer: the pcap file (pcap_file.hpp), the link layer, IPv4,
//    TCP or UDP, and the application's bytes, the way `tshark -V` shows them, in brief;
//  - bad checksums flagged, offloaded ones (any capture of lo) called unverified, not bad;
//  - a damaged file is an error (exit 1) after the packets that could be read, never a crash.
// Try it: sudo tcpdump -i lo -w /tmp/lo.pcap port 9001, run lab 01's echo, then pcap_decode /tmp/lo.pcap

#include <cstdint>
#include <iostream>

#include "03_encapsulation/layers/link_layer.hpp"
#include "03_encapsulation/layers/packet_text.hpp"
#include "03_encapsulation/layers/pcap_file.hpp"
#include "common/cli.hpp"
#include "common/log.hpp"

int main(int argc, char** argv) {
    netlab::log::set_program("pcap_decode");
    netlab::CommandLine cli(
        "pcap_decode",
        "Prints each packet of a classic pcap capture layer by layer (Ethernet or Linux cooked\n"
        "or BSD loopback, IPv4, TCP or UDP, payload), with every checksum's verdict.");
    cli.positionals("FILE",
                    "a classic pcap file, e.g. from tcpdump -w (pcapng: convert with editcap -F pcap)", 1, 1);
    return netlab::run_main(cli, argc, argv, [](const netlab::CommandLine& args) {
        using namespace netlab::layers;
        PcapFile file(args.args().front());
        const PcapFileHeader& header = file.header();
        std::cout << "pcap " << header.version_major << "." << header.version_minor << ", "
                  << (header.byte_order == ByteOrder::little ? "little" : "big") << "-endian, "
                  << (header.nanosecond ? "nanosecond" : "microsecond") << " timestamps, snaplen "
                  << header.snaplen << ", link type " << header.link_type << " ("
                  << link_type_name(header.link_type) << ")\n";
        std::uint64_t packets = 0;
        std::uint64_t decoded = 0;
        std::uint64_t bad_checksums = 0;
        while (const auto record = file.next()) {
            std::cout << "\n";
            const Problem problem = print_packet(std::cout, ++packets, header.link_type, *record);
            decoded += problem == Problem::none ? 1 : 0;
            bad_checksums += problem == Problem::bad_checksum ? 1 : 0;
        }
        std::cout << "\n"
                  << packets << " packet(s): " << decoded << " decoded, " << bad_checksums
                  << " with a bad checksum, " << packets - decoded - bad_checksums << " not decoded further"
                  << std::endl;
        return 0;
    });
}
