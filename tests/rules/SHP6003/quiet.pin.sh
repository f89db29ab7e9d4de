# the ARG has a default: the image is known (SHP6001 says it has no digest)
printf 'ARG BASE=debian:12\nFROM ${BASE}\n' > Dockerfile
