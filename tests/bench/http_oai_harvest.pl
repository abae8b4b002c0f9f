#!/usr/bin/perl
# The HTTP::OAI peer of oaiharvest-bench: harvests one ListRecords list to the end (HTTP::OAI
# follows resumption tokens itself) and prints the number of records, deleted ones included.
# Each record is handed to a callback, so that the list is not kept in memory.
# Usage: http_oai_harvest.pl BASE_URL [METADATA_PREFIX]
use strict;
use warnings;
use HTTP::OAI;

my ($url, $prefix) = @ARGV;
die "usage: $0 BASE_URL [METADATA_PREFIX]\n" unless $url;
$prefix //= 'mets';

my $count = 0;
my $harvester = HTTP::OAI::Harvester->new(baseURL => $url, resume => 1);
my $response = $harvester->ListRecords(
    metadataPrefix => $prefix,
    onRecord       => sub { $count++ },
);
die "HTTP::OAI: " . $response->message . "\n" if $response->is_error;
print "$count\n";
