# quiet: no daemon-wide profile
docker_installed; daemon_json "$HARDENED_DAEMON"
