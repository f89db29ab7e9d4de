# an ARG with no default (a --build-arg only), and a compose variable from the environment
printf 'ARG BASE\nFROM ${BASE}\n' > Dockerfile
printf 'services:\n  web:\n    image: ${IMAGE}\n' > compose.yaml
