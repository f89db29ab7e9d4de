ARG REGISTRY
FROM debian AS base
# a variable only before the name: no tag whatever its value
FROM ${REGISTRY}/ubuntu
USER 1000
