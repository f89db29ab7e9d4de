# quiet: experimental not set
docker_installed; daemon_json "$HARDENED_DAEMON"
