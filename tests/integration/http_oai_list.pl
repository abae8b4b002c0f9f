#!/usr/bin/perl
# HTTP::OAI (libhttp-oai-perl) harvesting one whole ListRecords list, for test_serve_peers.cpp:
# HTTP::OAI follows the resumption tokens itself. Prints a line per record, tab-separated: the
# identifier, "deleted" or "live", and the local name of the metadata's root element ("-" for a
# deleted record, "?" for a live one without metadata).
# Usage: http_oai_list.pl BASE_URL METADATA_PREFIX
use strict;
use warnings;
use HTTP::OAI;

my ($url, $prefix) = @ARGV;
die "usage: $0 BASE_URL METADATA_PREFIX\n" unless $url && $prefix;
binmode STDOUT, ':encoding(UTF-8)';

my $harvester = HTTP::OAI::Harvester->new(baseURL => $url, resume => 1);
my $response = $harvester->ListRecords(
    metadataPrefix => $prefix,
    onRecord       => sub {
        my ($record) = @_;
        my $root = '-';
        if (!$record->is_deleted) {
            # The fragment holds <metadata>; the format's root element is its first child.
            my ($element) = $record->metadata ? $record->metadata->dom->findnodes('*/*') : ();
            $root = $element ? $element->localname : '?';
        }
        print join("\t", $record->identifier, $record->is_deleted ? 'deleted' : 'live', $root),
            "\n";
    },
);
die "HTTP::OAI: " . $response->message . "\n" if $response->is_error;
