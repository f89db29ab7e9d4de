FROM registry.corp.example/debian:12
