# quiet: icc false
docker_installed; daemon_json "$HARDENED_DAEMON"
