# syntax=ghcr.io/someone/dockerfile:1
FROM alpine:3.19
USER 1000
