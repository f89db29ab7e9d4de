# references by tag only, in a Dockerfile and a compose file (no registry is asked)
printf 'FROM debian:12 AS build\nCOPY --from=nginx:1.27 /etc/nginx /x\nFROM build\n' > Dockerfile
printf 'services:\n  web:\n    image: "nginx:1.27"\n' > compose.yaml
