# fires: docker.service writable by everyone
docker_installed; daemon_json "$HARDENED_DAEMON"; file /lib/systemd/system/docker.service 666
