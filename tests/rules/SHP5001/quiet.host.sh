# quiet: docker.sock 660 root:root
docker_installed; daemon_json "$HARDENED_DAEMON"; sock /var/run/docker.sock 660
