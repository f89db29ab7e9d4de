FROM --platform=$TARGETPLATFORM debian:12
