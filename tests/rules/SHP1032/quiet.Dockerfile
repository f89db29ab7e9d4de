FROM debian:12
RUN apt-get install -qy curl
# a simulated install asks nothing; the option itself says yes
RUN apt-get install -s curl && apt-get -o APT::Get::Assume-Yes=true install jq
