FROM debian:12
FOO bar
