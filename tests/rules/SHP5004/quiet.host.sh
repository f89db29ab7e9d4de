# quiet: userns-remap set
docker_installed; daemon_json "$HARDENED_DAEMON"
