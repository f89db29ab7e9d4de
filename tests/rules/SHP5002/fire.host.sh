# fires: docker.sock owned by UID 1000
docker_installed; daemon_json "$HARDENED_DAEMON"; sock /var/run/docker.sock 660 1000:0
