# quiet: docker.service 644
docker_installed; daemon_json "$HARDENED_DAEMON"; file /lib/systemd/system/docker.service 644
