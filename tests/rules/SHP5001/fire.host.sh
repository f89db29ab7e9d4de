# fires: docker.sock mode 666
docker_installed; daemon_json "$HARDENED_DAEMON"; sock /var/run/docker.sock 666
