FROM debian:12
RUN apt-get install curl
RUN apt-get -oDpkg::Options::=--force-confnew install curl && apt-get -o APT::Get::Assume-Yes=false install jq
